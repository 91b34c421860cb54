/* The mail queue of one process: a bounded ring of jobs under a mutex, and one worker thread
 * that sends them one by one. A request only copies its mail into the ring, so the answer
 * never waits for the SMTP server; a full ring refuses at once. Every outcome goes to the
 * report function: nothing is dropped without a word. Jobs are malloc'd (the worker and the
 * requests are different threads; APR pools are not shared between them). */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>

#include "mail/mailer.h"

struct mail_queue {
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *ready;
    apr_thread_t *worker;
    mail_job **ring;
    int capacity, head, count;
    int stopping;
    apr_interval_time_t retry_delay;
    mail_report_fn report;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void job_free(mail_job *j)
{
    if (j) {
        free((char *)j->from);
        free((char *)j->to);
        free((char *)j->message);
        free((char *)j->what);
        free(j);
    }
}

static mail_job *job_copy(const mail_job *src)
{
    mail_job *j = calloc(1, sizeof(*j));
    if (!j) {
        return NULL;
    }
    *j = *src;
    j->from = dup_or_null(src->from);
    j->to = dup_or_null(src->to);
    j->message = dup_or_null(src->message);
    j->what = dup_or_null(src->what);
    if (!j->from || !j->to || !j->message || !j->what) {
        job_free(j);
        return NULL;
    }
    return j;
}

apr_status_t mail_queue_push(mail_queue *q, const mail_job *job)
{
    mail_job *j = job_copy(job);
    int queued = 0;
    if (j) {
        apr_thread_mutex_lock(q->lock);
        if (q->count < q->capacity && !q->stopping) {
            q->ring[(q->head + q->count) % q->capacity] = j;
            q->count++;
            queued = 1;
            apr_thread_cond_signal(q->ready);
        }
        apr_thread_mutex_unlock(q->lock);
    }
    if (!queued) {
        q->report(MAIL_QUEUE_FULL, job, j ? "the mail queue is full" : "out of memory");
        job_free(j);
        return APR_EAGAIN;
    }
    return APR_SUCCESS;
}

/* Waits for the next job; NULL once the queue stops. */
static mail_job *next_job(mail_queue *q)
{
    mail_job *j = NULL;
    apr_thread_mutex_lock(q->lock);
    while (!q->count && !q->stopping) {
        apr_thread_cond_wait(q->ready, q->lock);
    }
    if (q->count && !q->stopping) {
        j = q->ring[q->head];
        q->head = (q->head + 1) % q->capacity;
        q->count--;
    }
    apr_thread_mutex_unlock(q->lock);
    return j;
}

/* Sleeps the retry delay, or less when the queue stops; 1 when it stopped. */
static int pause_or_stop(mail_queue *q)
{
    apr_thread_mutex_lock(q->lock);
    if (!q->stopping) {
        apr_thread_cond_timedwait(q->ready, q->lock, q->retry_delay);
    }
    int stopping = q->stopping;
    apr_thread_mutex_unlock(q->lock);
    return stopping;
}

static void send_one(mail_queue *q, apr_pool_t *p, const mail_job *j)
{
    const char *why = NULL;
    if (j->backend->send(j->conf, p, j->from, j->to, j->message, &why) == APR_SUCCESS) {
        q->report(MAIL_SENT, j, NULL);
        return;
    }
    q->report(MAIL_RETRYING, j, why);
    if (pause_or_stop(q)) {
        q->report(MAIL_FAILED, j, "the process ended before the retry");
        return;
    }
    apr_pool_clear(p);
    if (j->backend->send(j->conf, p, j->from, j->to, j->message, &why) == APR_SUCCESS) {
        q->report(MAIL_SENT, j, NULL);
    } else {
        q->report(MAIL_FAILED, j, why);
    }
}

static void *APR_THREAD_FUNC work(apr_thread_t *t, void *arg)
{
    mail_queue *q = arg;
    apr_pool_t *p = NULL;
    apr_pool_create_unmanaged(&p);
    for (mail_job *j; (j = next_job(q)) != NULL;) {
        send_one(q, p, j);
        job_free(j);
        apr_pool_clear(p);
    }
    apr_pool_destroy(p);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* At the end of the process: the worker finishes the mail in hand; the ones still waiting are
 * reported lost. */
static apr_status_t stop_queue(void *data)
{
    mail_queue *q = data;
    apr_status_t ignored;
    apr_thread_mutex_lock(q->lock);
    q->stopping = 1;
    apr_thread_cond_broadcast(q->ready);
    apr_thread_mutex_unlock(q->lock);
    apr_thread_join(&ignored, q->worker);
    for (; q->count > 0; q->count--) {
        mail_job *j = q->ring[q->head];
        q->head = (q->head + 1) % q->capacity;
        q->report(MAIL_FAILED, j, "the process ended before it was sent");
        job_free(j);
    }
    return APR_SUCCESS;
}

apr_status_t mail_queue_start(apr_pool_t *p, int capacity, apr_interval_time_t retry_delay,
                              mail_report_fn report, mail_queue **out)
{
    mail_queue *q = apr_pcalloc(p, sizeof(*q));
    apr_status_t rv;
    q->capacity = capacity > 0 ? capacity : 1;
    q->ring = apr_pcalloc(p, sizeof(mail_job *) * (apr_size_t)q->capacity);
    q->retry_delay = retry_delay;
    q->report = report;
    if ((rv = apr_thread_mutex_create(&q->lock, APR_THREAD_MUTEX_DEFAULT, p)) != APR_SUCCESS ||
        (rv = apr_thread_cond_create(&q->ready, p)) != APR_SUCCESS ||
        (rv = apr_thread_create(&q->worker, NULL, work, q, p)) != APR_SUCCESS) {
        return rv;
    }
    /* a pre-cleanup: it must run before the thread's own pool (a sub-pool) is destroyed */
    apr_pool_pre_cleanup_register(p, q, stop_queue);
    *out = q;
    return APR_SUCCESS;
}
