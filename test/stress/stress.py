#!/usr/bin/python3
"""Load and fault run of mod_seances_auth: make -f Makefile.apxs stress (as root).

One Apache (event MPM, 2 children) on 127.0.0.1, three servers:
  STRESS_PORT (8550)     sqlite, pooled connections, the session cache (the defaults)
  STRESS_PORT + 1        sqlite, a new connection per request (DBDPersist Off)
  STRESS_PORT + 2        PostgreSQL (a throwaway server on STRESS_PG_PORT, 8560)
The sqlite files live on a small tmpfs of their own, so that the disk can be filled.

Load: STRESS_DURATION (60) seconds of wrk at 64 connections: 56 ask for pages with live
sessions, bad cookies and none (pages.lua), 8 post right and wrong logins, about 16 a
second (logins.lua). Reported: statuses by meaning, socket errors, the children's RSS,
lock errors in the error log, login_events rows against the answers.

Faults, each watched by probes (a page with a live session every 0.1 s, a right login every
0.25 s, a bad cookie every 0.5 s): the file unreadable, locked by another process for 10 s,
deleted and re-created, read-only, a full disk, PostgreSQL stopped and started, the SMTP
server refusing (stopped) and hanging (accepting, never answering), a graceful restart under
load. Reported: what the clients saw during the fault, the log lines, the time
from the end of the fault to the first success.

STRESS_FAULTS=0 runs the load only.

Rules, checked: no 200 without a valid session (bad cookies, wrong passwords); 503 pages are
the themed page with Retry-After; a fault that clients see has a log line; recovery within
1 s of the fault's end; no login_events row lost for an attempt that got an answer. The exit
status is 1 when a rule is broken. Only 127.0.0.1; every loop ends by itself.
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PORT = int(os.environ.get('STRESS_PORT', '8550'))
PG_PORT = int(os.environ.get('STRESS_PG_PORT', '8560'))
DURATION = int(os.environ.get('STRESS_DURATION', '60'))
WORK = os.path.join(ROOT, 'build', 'stress')
DBDIR = os.path.join(WORK, 'db')
MAIN_DB = os.path.join(DBDIR, 'seances.db')
FRESH_DB = os.path.join(DBDIR, 'fresh.db')
ERROR_LOG = os.path.join(WORK, 'error_log')
APACHE2 = os.environ.get('APACHE2', '/usr/sbin/apache2')
ADMIN = os.path.join(ROOT, 'seances-admin')
PG_SH = os.path.join(ROOT, 'test', 'pg.sh')
PG_ENV = dict(os.environ, SEANCES_PG_PORT=str(PG_PORT),
              SEANCES_PG_DIR='/tmp/seances-stress-pg-%d' % PG_PORT)
PG_PARAMS = 'host=127.0.0.1 port=%d dbname=stress user=postgres connect_timeout=3' % PG_PORT
USERS = 10
SMTP_PORT = PORT + 5
MAILDIR = os.path.join(WORK, 'maildir')
SINK = os.path.join(ROOT, 'test', 'smtp', 'sink.py')
MAIL_USER = 'mu00'
PASSWORD = 'a stress test password 2026'
PASSPHRASE = 'stress-passphrase-0123456789abcdef'
MODDIR = '/usr/lib/apache2/modules'
RUNAS = 'www-data'

report_lines = []
broken = []


def say(text=''):
    """A line of the report, wrapped at 92 columns (the README carries the report)."""
    indent = len(text) - len(text.lstrip(' '))
    lines = textwrap.wrap(text, 92, subsequent_indent=' ' * (indent + 4),
                          break_on_hyphens=False) or ['']
    for line in lines:
        print(line, flush=True)
        report_lines.append(line)


def rule(ok, text):
    if not ok:
        broken.append(text)
        say('  RULE BROKEN: ' + text)


def run(cmd, env=None, stdin=None, check=True, timeout=120):
    r = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True,
                       timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError('%s: exit %d: %s' % (' '.join(cmd), r.returncode, r.stderr.strip()))
    return r


def as_server_user(cmd):
    return ['runuser', '-u', RUNAS, '--'] + cmd


def admin(db, *args, stdin=None, dbd='sqlite3'):
    cmd = [ADMIN, '--dbd', dbd, '--db', db] + list(args)
    return run(as_server_user(cmd) if dbd == 'sqlite3' else cmd, stdin=stdin)


def sql(db, query):
    return run(as_server_user(['sqlite3', '-batch', '-cmd', '.timeout 5000', db, query]),
               check=False).stdout.strip()


def psql(query):
    return run(['psql', '-qtA', '-h', '127.0.0.1', '-p', str(PG_PORT), '-U', 'postgres',
                '-d', 'stress', '-c', query], check=False).stdout.strip()


def login_rows(target):
    q = "SELECT result, count(*) FROM login_events GROUP BY result"
    out = psql(q) if target == 'pg' else sql(target, q)
    rows = {}
    for line in out.splitlines():
        if '|' in line:
            k, v = line.split('|', 1)
            rows[k] = int(v)
    return rows


# ---- HTTP ------------------------------------------------------------------------------------

def request(port, method, path, headers=None, body=None, timeout=15):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read().decode('utf-8', 'replace')
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data, \
            r.msg.get_all('Set-Cookie') or []
    finally:
        conn.close()


def cookie_value(set_cookies, name):
    for c in set_cookies:
        m = re.match(r'\s*%s=([^;]*)' % re.escape(name), c)
        if m and m.group(1):
            return m.group(1)
    return None


def csrf_pair(port):
    status, _, body, cookies = request(port, 'GET', '/login')
    token = re.search(r'name="csrf" value="([^"]+)"', body)
    nonce = cookie_value(cookies, 'seances_session_csrf')
    if status != 200 or not token or not nonce:
        raise RuntimeError('no login form on port %d (%d)' % (port, status))
    return nonce, token.group(1)


def login(port, user, password, pair=None, back='/app/index.html?right'):
    nonce, token = pair or csrf_pair(port)
    body = urllib.parse.urlencode({'username': user, 'password': password, 'return': back,
                                   'csrf': token})
    status, headers, page, cookies = request(
        port, 'POST', '/login', {'Content-Type': 'application/x-www-form-urlencoded',
                                 'Cookie': 'seances_session_csrf=' + nonce}, body)
    return status, cookie_value(cookies, 'seances_session'), headers, page


def themed_503(headers, body):
    return headers.get('retry-after') == '30' and 'Service temporairement indisponible' in body


# ---- the server ------------------------------------------------------------------------------

def conf():
    pg_so = os.path.exists('/usr/lib/x86_64-linux-gnu/apr-util-1/apr_dbd_pgsql-1.so')
    mods = ['mpm_event', 'authn_core', 'authz_core', 'authz_host', 'authz_user', 'dbd',
            'socache_shmcb',
            'mime', 'alias']
    loads = '\n'.join('LoadModule %s_module %s/mod_%s.so' % (m, MODDIR, m) for m in mods)
    server = '''
    SeancesCryptoPassphrase "%(pp)s"
    <Location "/login">
        SetHandler seances-login
    </Location>
    <Location "/portal">
        SetHandler seances-portal
    </Location>
    <Location "/forgot">
        SetHandler seances-forgot
    </Location>
    <Location "/seances-status">
        SetHandler seances-status
        Require ip 127.0.0.1
    </Location>
    <Location "/app/">
        AuthType Seances
        AuthName "seances"
        Require valid-user
    </Location>
''' % {'pp': PASSPHRASE}
    return '''%(loads)s
LoadModule seances_auth_module %(root)s/.libs/mod_seances_auth.so
ServerName 127.0.0.1
ServerRoot %(work)s
PidFile %(work)s/httpd.pid
DefaultRuntimeDir %(work)s
Mutex file:%(work)s default
ErrorLog %(work)s/error_log
LogLevel info seances_auth:info
User %(user)s
Group %(group)s
TypesConfig /etc/mime.types
StartServers 2
ServerLimit 2
ThreadsPerChild 64
MaxRequestWorkers 128
MinSpareThreads 1
MaxSpareThreads 128
MaxConnectionsPerChild 0
# Freed request memory kept per worker thread (Apache's default is 2 MB, so up to 128 MB per
# child here for large pages such as the portal's): 256 KB, so that what the module itself
# holds shows in the children's RSS.
MaxMemFree 256
KeepAlive On
Listen 127.0.0.1:%(p0)d
Listen 127.0.0.1:%(p1)d
Listen 127.0.0.1:%(p2)d
DocumentRoot %(work)s/htdocs
<Directory "%(work)s/htdocs">
    Require all granted
</Directory>
SeancesCookieName seances_session Path=/; HttpOnly; SameSite=Lax
# right and wrong logins all come from 127.0.0.1: no lockout in this run
SeancesLockout 100000 1s 1s 100000
<VirtualHost 127.0.0.1:%(p0)d>
    DBDriver sqlite3
    DBDParams %(main_db)s
    # mail: the SMTP sink on %(smtp)d (test/smtp/sink.py), or the faults of run_smtp_faults
    SeancesBaseURL http://127.0.0.1:%(p0)d/
    SeancesSMTPServer 127.0.0.1:%(smtp)d
    SeancesSMTPFrom stress@example.test
    SeancesSMTPStartTLS off
    SeancesSMTPTimeout 2s
    SeancesResetLimit 100000 100000 1h
%(server)s</VirtualHost>
<VirtualHost 127.0.0.1:%(p1)d>
    DBDriver sqlite3
    DBDParams %(fresh_db)s
    DBDPersist Off
    SeancesSessionRecheck 0
%(server)s</VirtualHost>
%(pg)s
''' % {'loads': loads, 'root': ROOT, 'work': WORK, 'user': RUNAS, 'group': RUNAS,
       'p0': PORT, 'p1': PORT + 1, 'smtp': SMTP_PORT, 'p2': PORT + 2, 'main_db': MAIN_DB, 'fresh_db': FRESH_DB,
       'server': server,
       'pg': ('<VirtualHost 127.0.0.1:%d>\n    DBDriver pgsql\n    DBDParams "%s"\n%s'
              '</VirtualHost>' % (PORT + 2, PG_PARAMS, server)) if pg_so else ''}


def server_pid():
    try:
        with open(os.path.join(WORK, 'httpd.pid')) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return 0


def children():
    pid = server_pid()
    out = run(['ps', '--ppid', str(pid), '-o', 'pid=,rss=,comm='], check=False).stdout
    return {int(p): int(r) for p, r, c in (l.split() for l in out.splitlines()) if c == 'apache2'}


def start_apache():
    with open(os.path.join(WORK, 'httpd.conf'), 'w') as f:
        f.write(conf())
    run([APACHE2, '-d', WORK, '-f', os.path.join(WORK, 'httpd.conf'), '-k', 'start'])
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            request(PORT, 'GET', '/login', timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError('Apache did not answer on %d' % PORT)


def stop_apache():
    pid = server_pid()
    if not pid:
        return
    run([APACHE2, '-d', WORK, '-f', os.path.join(WORK, 'httpd.conf'), '-k', 'stop'],
        check=False)
    deadline = time.time() + 30
    while time.time() < deadline and os.path.exists('/proc/%d' % pid):
        time.sleep(0.2)
    if os.path.exists('/proc/%d' % pid):
        os.kill(pid, signal.SIGKILL)


def add_users(db, dbd='sqlite3', only=None):
    for i in range(USERS):
        for prefix in ('ru', 'wu', 'pu'):
            name = '%s%02d' % (prefix, i)
            if only and name not in only:
                continue
            admin(db, 'user', 'add', name, '--password-stdin', stdin=PASSWORD + '\n', dbd=dbd)


def add_mail_user():
    admin(MAIN_DB, 'user', 'add', MAIL_USER, '--email', MAIL_USER + '@example.test',
          '--password-stdin', stdin=PASSWORD + '\n')


def setup():
    if os.path.ismount(DBDIR):
        run(['umount', DBDIR])
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(os.path.join(WORK, 'htdocs', 'app'))
    os.makedirs(DBDIR)
    with open(os.path.join(WORK, 'htdocs', 'app', 'index.html'), 'w') as f:
        f.write('<!DOCTYPE html><title>app</title><p>STRESS-APP-OK</p>\n')
    with open(os.path.join(WORK, 'htdocs', 'app', 'bad.html'), 'w') as f:
        f.write('<!DOCTYPE html><title>app</title><p>STRESS-APP-BAD</p>\n')
    run(['mount', '-t', 'tmpfs', '-o', 'size=24m,mode=0755', 'tmpfs', DBDIR])
    shutil.chown(DBDIR, RUNAS, RUNAS)
    for db in (MAIN_DB, FRESH_DB):
        admin(db, 'init')
        add_users(db)
    add_mail_user()
    sink['p'] = start_sink()
    if os.path.exists('/usr/lib/x86_64-linux-gnu/apr-util-1/apr_dbd_pgsql-1.so'):
        run(['sh', PG_SH, 'start'], env=PG_ENV)
        run(['sh', PG_SH, 'createdb', 'stress'], env=PG_ENV)
        admin(PG_PARAMS, 'init', dbd='pgsql')
        add_users(PG_PARAMS, dbd='pgsql', only={'ru00', 'wu00'})
    start_apache()


def teardown():
    stop_apache()
    stop_sink()
    run(['sh', PG_SH, 'stop'], env=PG_ENV, check=False)
    if os.path.ismount(DBDIR):
        run(['umount', '-l', DBDIR], check=False)


def log_offset():
    try:
        return os.path.getsize(ERROR_LOG)
    except OSError:
        return 0


def log_since(offset):
    with open(ERROR_LOG, errors='replace') as f:
        f.seek(offset)
        return f.read()


def log_ids(text):
    """{id: (count, first line's message)} of the module's lines."""
    ids = {}
    for line in text.splitlines():
        m = re.search(r'(SEANCES\d{4}): (.*)$', line)
        if not m:
            continue
        n, first = ids.get(m.group(1), (0, m.group(2)[:110]))
        ids[m.group(1)] = (n + 1, first)
    return ids


def status_counters(port=PORT):
    _, _, body, _ = request(port, 'GET', '/seances-status?auto')
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r'^(\S+) (-?\d+)$', body, re.M)}


# ---- the load --------------------------------------------------------------------------------

def parse_wrk(out):
    stats, counts = {}, {}
    for line in out.splitlines():
        if line.startswith('STRESS count '):
            _, _, k, v = line.split()
            counts[k] = int(v)
        elif line.startswith('STRESS requests='):
            for kv in line.split()[1:]:
                k, v = kv.split('=')
                stats[k] = float(v)
    return stats, counts


def wrk(script, conns, threads, seconds, env, port=PORT):
    cmd = ['wrk', '-t%d' % threads, '-c%d' % conns, '-d%ds' % seconds, '--timeout', '10s',
           '-s', os.path.join(ROOT, 'test', 'stress', script), 'http://127.0.0.1:%d' % port]
    return subprocess.Popen(cmd, env=dict(os.environ, **env), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def prepare_clients(port):
    cookies = []
    for i in range(40):
        status, cookie, _, _ = login(port, 'ru%02d' % (i % USERS), PASSWORD)
        if status != 303 or not cookie:
            raise RuntimeError('login for the load failed: %d' % status)
        cookies.append(cookie)
    with open(os.path.join(WORK, 'cookies.txt'), 'w') as f:
        f.write('\n'.join(cookies) + '\n')
    # the portal is viewed by users who do not log in during the run: their pages (sessions,
    # history) keep their size, so the memory watched is the steady state's
    with open(os.path.join(WORK, 'portal-cookies.txt'), 'w') as f:
        for i in range(5):
            status, cookie, _, _ = login(port, 'pu%02d' % i, PASSWORD)
            if status != 303 or not cookie:
                raise RuntimeError('portal login for the load failed: %d' % status)
            f.write(cookie + '\n')
    with open(os.path.join(WORK, 'csrf.txt'), 'w') as f:
        for _ in range(32):
            f.write('%s %s\n' % csrf_pair(port))


def portal_exists():
    try:
        with open(os.path.join(ROOT, 'src', 'handle', 'dispatch.c')) as f:
            return '"seances-portal"' in f.read()
    except OSError:
        return False


class RssSampler(threading.Thread):
    def __init__(self, seconds):
        super().__init__(daemon=True)
        self.samples = []
        self.deadline = time.time() + seconds
        self.stop = threading.Event()

    def run(self):
        start = time.time()
        while not self.stop.is_set() and time.time() < self.deadline:
            self.samples.append((time.time() - start, children()))
            self.stop.wait(1)


def load_env():
    return {'STRESS_COOKIES': os.path.join(WORK, 'cookies.txt'),
            'STRESS_PORTAL_COOKIES': os.path.join(WORK, 'portal-cookies.txt'),
            'STRESS_CSRF': os.path.join(WORK, 'csrf.txt'),
            'STRESS_USERS': str(USERS), 'STRESS_PASSWORD': PASSWORD,
            'STRESS_DELAY_MS': '300',
            'STRESS_PORTAL': os.environ.get('STRESS_PORTAL', '1' if portal_exists() else '0')}


def report_wrk(label, out, seconds):
    stats, counts = parse_wrk(out)
    say('  %s: %d requests (%.0f/s), latency p50 %.1f ms, p99 %.1f ms, max %.1f ms' % (
        label, stats.get('requests', 0), stats.get('requests', 0) / seconds,
        stats.get('p50_ms', 0), stats.get('p99_ms', 0), stats.get('max_ms', 0)))
    socket = sum(int(stats.get(k, 0)) for k in ('connect', 'read', 'write', 'timeout'))
    say('    socket errors: connect %d, read %d, write %d, timeout %d' % tuple(
        int(stats.get(k, 0)) for k in ('connect', 'read', 'write', 'timeout')))
    for k in sorted(counts):
        say('    %-40s %d' % (k, counts[k]))
    if not counts:
        say('    (no wrk report)\n' + out)
    return counts, socket


def rss_summary(samples):
    if not samples:
        return None
    def total(s):
        return sum(s[1].values())
    first = samples[0]
    warm = next((s for s in samples if s[0] >= 10), samples[-1])
    last = samples[-1]
    say('  children RSS (MB; after 32 parallel logins): start %.1f, after 10 s %.1f, end %.1f '
        '(%d children: %s)' % (
        total(first) / 1024, total(warm) / 1024, total(last) / 1024, len(last[1]),
        ', '.join('%.1f' % (v / 1024) for v in last[1].values())))
    peak = max(total(s) for s in samples)
    series = [total(next(s for s in samples if s[0] >= t)) / 1024
              for t in range(0, int(samples[-1][0]) + 1, 10)]
    say('  every 10 s: %s MB; peak %.1f MB' % (' '.join('%.0f' % v for v in series),
                                                peak / 1024))
    same = set(warm[1]) == set(last[1])
    change = (total(last) - total(warm)) / total(warm) * 100 if total(warm) else 0
    say('  change from warm-up to end: %+.1f %%%s' % (change, '' if same else
                                                       ' (children were replaced)'))
    return change


def warm_up(port, n=32):
    """Logins in parallel, so that every child has run as many password checks at once as its
    gate allows (and mapped that many argon2 work areas) before the RSS is watched."""
    threads = [threading.Thread(target=login, args=(port, 'ru%02d' % (i % USERS), PASSWORD))
               for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)


def run_load():
    say('== Load: %d s of wrk, 64 connections (56 pages and bad cookies, 8 logins) ==' % DURATION)
    prepare_clients(PORT)
    warm_up(PORT)
    rows_before = login_rows(MAIN_DB)
    counters_before = status_counters()
    off = log_offset()
    sampler = RssSampler(DURATION + 30)
    sampler.start()
    env = load_env()
    pages = wrk('pages.lua', 56, 2, DURATION, env)
    logins = wrk('logins.lua', 8, 1, DURATION, env)
    out_pages = pages.communicate(timeout=DURATION + 120)[0]
    out_logins = logins.communicate(timeout=DURATION + 120)[0]
    sampler.stop.set()
    sampler.join()
    page_counts, page_sock = report_wrk('pages', out_pages, DURATION)
    login_counts, login_sock = report_wrk('logins', out_logins, DURATION)
    say('  logins per second: %.1f' % (sum(login_counts.values()) / DURATION))
    change = rss_summary(sampler.samples)
    text = log_since(off)
    locked = len(re.findall(r'database is locked|AH00632|SEANCES0305', text))
    say('  lock errors in the error log ("database is locked", AH00632, SEANCES0305): %d'
        % locked)
    rows_after = login_rows(MAIN_DB)
    ok_rows = rows_after.get('ok', 0) - rows_before.get('ok', 0)
    bad_rows = rows_after.get('bad_password', 0) - rows_before.get('bad_password', 0)
    say('  login_events: %d ok rows for %d right logins answered 303; %d bad_password rows '
        'for %d wrong logins answered with the form (wrk stops with up to 8 logins in '
        'flight: they have rows and no answer)' % (
            ok_rows, login_counts.get('right_login_ok', 0), bad_rows,
            login_counts.get('wrong_login_refused', 0)))
    counters = status_counters()
    delta = {k: counters.get(k, 0) - counters_before.get(k, 0) for k in counters}
    say('  seances-status: logins ok %d, failed %d, unavailable %d; password checks %d, '
        'waited %d, refused %d; cache hits %d, misses %d; sessions live %d' % (
            delta.get('seances_logins_total{result="ok"}', 0),
            delta.get('seances_logins_total{result="failed"}', 0),
            delta.get('seances_logins_total{result="unavailable"}', 0),
            delta.get('seances_password_checks_total', 0),
            delta.get('seances_password_checks_waited_total', 0),
            delta.get('seances_password_checks_refused_total{reason="queue_full"}', 0)
            + delta.get('seances_password_checks_refused_total{reason="wait_expired"}', 0),
            delta.get('seances_session_cache_total{result="hit"}', 0),
            delta.get('seances_session_cache_total{result="miss"}', 0),
            counters.get('seances_sessions_live', 0)))
    unexpected = {k: v for c in (page_counts, login_counts) for k, v in c.items()
                  if k.startswith(('UNEXPECTED', 'VIOLATION'))}
    rule(not unexpected, 'unexpected statuses under load: %s' % unexpected)
    rule(page_sock + login_sock == 0, 'socket errors under load: %d' % (page_sock + login_sock))
    rule(locked == 0, '%d lock errors under load' % locked)
    rule(change is not None and abs(change) <= 10, 'RSS not flat within 10 % after warm-up')
    extra = ok_rows + bad_rows - login_counts.get('right_login_ok', 0) - \
        login_counts.get('wrong_login_refused', 0)
    rule(ok_rows >= login_counts.get('right_login_ok', 0) and
         bad_rows >= login_counts.get('wrong_login_refused', 0) and extra <= 8,
         'login_events rows do not match the answered logins')
    say()


# ---- faults ----------------------------------------------------------------------------------

class Probe:
    """Clients of one server during a fault: (time, kind, status, themed 503 or not)."""

    def __init__(self, label, port):
        self.label, self.port = label, port
        self.results = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.cookie = None
        self.threads = [threading.Thread(target=f, daemon=True)
                        for f in (self.pages, self.logins, self.bad_cookies)]

    def note(self, kind, status, headers=None, body=''):
        with self.lock:
            self.results.append((time.time(), kind, status,
                                 status == 503 and themed_503(headers or {}, body)))

    def try_login(self, kind='login'):
        try:
            status, cookie, headers, body = login(self.port, 'ru00', PASSWORD)
        except OSError:
            status, cookie, headers, body = 0, None, {}, ''
        self.note(kind, status, headers, body)
        return cookie if status == 303 else None

    def pages(self):
        while not self.stop.wait(0.1):
            if not self.cookie:
                self.cookie = self.try_login('relogin')
                continue
            try:
                status, headers, body, _ = request(self.port, 'GET', '/app/index.html',
                                                   {'Cookie': 'seances_session=' + self.cookie})
            except OSError:
                status, headers, body = 0, {}, ''
            self.note('page', status, headers, body)
            if status == 302:
                self.cookie = None

    def logins(self):
        while not self.stop.wait(0.25):
            self.try_login()

    def bad_cookies(self):
        while not self.stop.wait(0.5):
            try:
                status, headers, body, _ = request(self.port, 'GET', '/app/bad.html',
                                                   {'Cookie': 'seances_session=AAAA' + 'B' * 100})
            except OSError:
                status, headers, body = 0, {}, ''
            self.note('bad', 200 if status == 200 and 'STRESS-APP-BAD' in body else status,
                      headers, body)

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)


def good(kind, status):
    return (kind in ('page',) and status == 200) or \
        (kind in ('login', 'relogin') and status == 303) or (kind == 'bad' and status == 302)


def recovery(results, t1):
    """Seconds from the end of the fault to the first success after the last failure of the
    page and login probes (0 when nothing failed after the end), or None if never."""
    worst = 0.0
    for kinds in (('page',), ('login', 'relogin')):
        rs = [r for r in results if r[1] in kinds]
        failures = [r[0] for r in rs if not good(r[1], r[2]) and not (r[1] == 'page' and r[2] == 302)]
        if not failures:
            continue
        last_failure = max(failures)
        after = [r[0] for r in rs if r[0] > last_failure and good(r[1], r[2])]
        if not after:
            return None
        worst = max(worst, after[0] - t1)
    return max(worst, 0.0)


def describe(results, t0, t1):
    parts = []
    for kind in ('page', 'login', 'relogin', 'bad'):
        during = [r for r in results if r[1] == kind and t0 <= r[0] <= t1 + 0.05]
        if not during:
            continue
        by = {}
        for r in during:
            by[r[2]] = by.get(r[2], 0) + 1
        parts.append('%s %s' % (kind, ' '.join('%s:%d' % (s if s else 'error', n)
                                               for s, n in sorted(by.items()))))
    return '; '.join(parts)


def fault(name, targets, inject, restore, hold, note=''):
    """targets: [(label, port, db)], db a sqlite file or 'pg'."""
    say('-- %s' % name)
    rows_before = {label: login_rows(db) for label, _, db in targets}
    probes = [Probe(label, port) for label, port, _ in targets]
    for p in probes:
        p.start()
    time.sleep(2)
    off = log_offset()
    t0 = time.time()
    inject()
    time.sleep(hold)
    restore()
    t1 = time.time()
    time.sleep(4)
    for p in probes:
        p.finish()
    text = log_since(off)
    say('   fault lasted %.1f s' % (t1 - t0))
    for p, (label, port, db) in zip(probes, targets):
        rs = p.results
        say('   %s: during the fault: %s' % (label, describe(rs, t0, t1) or 'nothing'))
        rec = recovery(rs, t1)
        say('   %s: recovered %s' % (label, 'never' if rec is None else
                                      '%.2f s after the end' % rec))
        fives = [r for r in rs if r[2] == 503]
        bad_200 = [r for r in rs if r[1] == 'bad' and r[2] == 200]
        rule(not bad_200, '%s / %s: a bad cookie got 200' % (name, label))
        rule(all(r[3] for r in fives), '%s / %s: a 503 without the themed page' % (name, label))
        rule(rec is not None and rec <= 1.0, '%s / %s: no recovery within 1 s' % (name, label))
        # the re-created file starts empty: count the answers after the rm
        answered = sum(1 for r in rs if r[1] in ('login', 'relogin') and r[2] in (200, 303)
                       and (db != MAIN_DB or name != 'deleted and re-created' or r[0] > t0))
        after = login_rows(db)
        added = sum(after.values()) - (0 if name == 'deleted and re-created' and db == MAIN_DB
                                       else sum(rows_before[label].values()))
        say('   %s: %d answered logins, %d new login_events rows' % (label, answered, added))
        rule(added == answered, '%s / %s: login_events rows != answered logins' % (name, label))
        if fives:
            rule(re.search(r'SEANCES03\d\d|SEANCES0109', text) is not None,
                 '%s / %s: 503s without a log line' % (name, label))
    ids = log_ids(text)
    for i in sorted(ids):
        say('   log %s x%d: %s' % (i, ids[i][0], ids[i][1]))
    if note:
        say('   note: ' + note)
    say()


def hold_lock(seconds):
    holder = subprocess.Popen(as_server_user(['sqlite3', '-batch', MAIN_DB]),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN EXCLUSIVE;\nSELECT 'locked';\n.shell sleep %d\nCOMMIT;\n" % seconds)
    holder.stdin.close()
    holder.stdout.readline()
    return holder


def writable_again():
    for db in (MAIN_DB, FRESH_DB):
        for f in (db, db + '-wal', db + '-shm'):
            if os.path.exists(f):
                os.chmod(f, 0o644)


def fill_disk():
    run(['dd', 'if=/dev/zero', 'of=' + os.path.join(DBDIR, 'filler'), 'bs=64k'], check=False)


sink = {}


def start_sink():
    proc = subprocess.Popen(['/usr/bin/python3', SINK, '--port', str(SMTP_PORT), '--maildir',
                             MAILDIR], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            socket.create_connection(('127.0.0.1', SMTP_PORT), 1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('the SMTP sink did not listen on %d' % SMTP_PORT)


def stop_sink():
    proc = sink.pop('p', None)
    if proc:
        proc.terminate()
        proc.wait(10)


def mails():
    new = os.path.join(MAILDIR, 'new')
    return len(os.listdir(new)) if os.path.isdir(new) else 0


class Silent:
    """A server that accepts SMTP connections and never says a word."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('127.0.0.1', SMTP_PORT))
        self.sock.listen(64)
        self.held = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                pass

    def close(self):
        self.stop.set()
        self.thread.join(5)
        for c in self.held:
            c.close()
        self.sock.close()


def forgot_once(port):
    """POST /forgot for the mail user: (status, the page says what it always says)."""
    try:
        status, headers, body, cookies = request(port, 'GET', '/forgot')
        nonce = cookie_value(cookies, 'seances_session_csrf')
        token = re.search(r'name="csrf" value="([^"]+)"', body)
        form = urllib.parse.urlencode({'username': MAIL_USER,
                                       'csrf': token.group(1) if token else ''})
        status, headers, body, _ = request(
            port, 'POST', '/forgot', {'Cookie': 'seances_session_csrf=%s' % nonce,
                                      'Content-Type': 'application/x-www-form-urlencoded'}, form)
    except OSError:
        return 0, False
    return status, status == 200 and 'Si un compte correspond' in body


def smtp_fault(name, inject, restore, hold):
    """Reset requests every 0.5 s while the mail server fails: the page never changes and
    never waits for the mail; the log says why; after the fault the next request's mail
    arrives (the worker's retry and the next connection)."""
    say('-- %s' % name)
    off = log_offset()
    seen, slow = [], 0
    t0 = time.time()
    inject()
    while time.time() < t0 + hold:
        t = time.time()
        seen.append(forgot_once(PORT))
        slow += time.time() - t > 1.0
        time.sleep(0.5)
    restore()
    t1 = time.time()
    before = mails()
    status, same = forgot_once(PORT)
    arrived = None
    while time.time() < t1 + 20:
        if mails() > before:
            arrived = time.time() - t1
            break
        time.sleep(0.1)
    text = log_since(off)
    by = {}
    for st, _ in seen:
        by[st] = by.get(st, 0) + 1
    say('   fault lasted %.1f s; forgot answers during it: %s; %d took over 1 s'
        % (t1 - t0, ' '.join('%s:%d' % (k if k else 'error', n) for k, n in sorted(by.items())),
           slow))
    say('   after it: the next request\'s mail %s' % ('never arrived (20 s)' if arrived is None
                                                       else 'arrived %.2f s after the end' % arrived))
    rule(all(same for _, same in seen) and status == 200 and same,
         '%s: a forgot answer that is not the usual page' % name)
    rule(slow == 0, '%s: a forgot answer waited for the mail server' % name)
    rule(re.search(r'SEANCES080[234]', text) is not None, '%s: no log line for the failed mails'
         % name)
    rule(arrived is not None, '%s: no mail after the fault' % name)
    ids = log_ids(text)
    for i in sorted(ids):
        say('   log %s x%d: %s' % (i, ids[i][0], ids[i][1]))
    say()


def run_smtp_faults():
    smtp_fault('SMTP server refusing (stopped)', stop_sink,
               lambda: sink.update(p=start_sink()), 8)
    silent = {}

    def hang():
        stop_sink()
        silent['s'] = Silent()

    def answer_again():
        silent.pop('s').close()
        sink['p'] = start_sink()
    smtp_fault('SMTP server hanging (accepts, never answers)', hang, answer_again, 8)


def run_faults():
    say('== Faults (probes: a page every 0.1 s, a right login every 0.25 s, a bad cookie every '
        '0.5 s) ==')
    main = [('pooled sqlite', PORT, MAIN_DB)]
    fresh = [('new-connection sqlite', PORT + 1, FRESH_DB)]

    fault('database file unreadable (chmod 000)', main + fresh,
          lambda: [os.chmod(d, 0) for d in (MAIN_DB, FRESH_DB)],
          lambda: [os.chmod(d, 0o644) for d in (MAIN_DB, FRESH_DB)], 6,
          'a pooled connection keeps the file it opened: only new connections see the mode')

    holder = {}
    fault('locked by another process for 10 s (sqlite3: BEGIN EXCLUSIVE)', main,
          lambda: holder.update(p=hold_lock(10)), lambda: holder['p'].wait(30), 0,
          'WAL: readers go on; writers (logins) wait SeancesDatabaseWait, then 503')

    def recreate():
        admin(MAIN_DB, 'init')
        add_users(MAIN_DB, only={'ru00'})
    fault('deleted and re-created', main, lambda: os.remove(MAIN_DB), recreate, 3,
          'old sessions are gone with the file: their pages go to the login form (302); the '
          'session cache may serve a page for up to SeancesSessionRecheck (1 s) after the rm')
    add_users(MAIN_DB, only={'ru%02d' % i for i in range(1, USERS)} |
              {'%s%02d' % (p, i) for p in ('wu', 'pu') for i in range(USERS)})
    add_mail_user()

    fault('read-only database file (chmod 444)', main + fresh,
          lambda: [os.chmod(d, 0o444) for d in (MAIN_DB, FRESH_DB)], writable_again, 6,
          'a pooled connection keeps its read-write descriptor: only new connections are '
          'read-only. sqlite creates -wal and -shm with the database file\'s mode, so the end '
          'of the fault is chmod 644 on all three (SEANCES0309 names the one not writable)')

    fault('full disk (the tmpfs of the database filled)', main, fill_disk,
          lambda: os.remove(os.path.join(DBDIR, 'filler')), 6)

    if os.path.exists('/usr/lib/x86_64-linux-gnu/apr-util-1/apr_dbd_pgsql-1.so'):
        fault('PostgreSQL stopped, then started', [('PostgreSQL', PORT + 2, 'pg')],
              lambda: run(['sh', PG_SH, 'stop'], env=PG_ENV),
              lambda: run(['sh', PG_SH, 'start'], env=PG_ENV), 6)

    run_smtp_faults()
    run_graceful()


def run_graceful():
    say('-- graceful restart under load (wrk 15 s, SIGUSR1 at 5 s; a connection per request, '
        'since wrk does not retry a request sent on a keep-alive connection that an old child '
        'closes, as browsers do)')
    prepare_clients(PORT)
    env = dict(load_env(), STRESS_CLOSE='1')
    probe = Probe('pooled sqlite', PORT)
    probe.start()
    off = log_offset()
    pages = wrk('pages.lua', 56, 2, 15, env)
    logins = wrk('logins.lua', 8, 1, 15, env)
    time.sleep(5)
    t0 = time.time()
    os.kill(server_pid(), signal.SIGUSR1)
    out_pages = pages.communicate(timeout=120)[0]
    out_logins = logins.communicate(timeout=120)[0]
    probe.finish()
    counts = {}
    sock = 0
    for label, out in (('pages', out_pages), ('logins', out_logins)):
        c, s = report_wrk(label, out, 15)
        counts.update({label + ':' + k: v for k, v in c.items()})
        sock += s
    say('   probes after the restart: %s' % describe(probe.results, t0, t0 + 10))
    bad = {k: v for k, v in counts.items() if 'UNEXPECTED' in k or 'VIOLATION' in k or
           'unavailable' in k}
    rule(not bad and sock == 0, 'graceful restart: %s, %d socket errors' % (bad, sock))
    text = log_since(off)
    say('   log: %s' % ('; '.join(l.split('] ', 3)[-1][:100] for l in text.splitlines()
                                 if 'SIGUSR1' in l or 'resuming normal' in l) or 'nothing'))
    say()


def main():
    if os.geteuid() != 0:
        sys.exit('stress: run as root (Apache starts as root; the database gets a tmpfs)')
    for tool in ('wrk', 'sqlite3', 'runuser'):
        if not shutil.which(tool):
            sys.exit('stress: %s is missing (make -f Makefile.apxs deps)' % tool)
    started = time.time()
    say('mod_seances_auth stress run, %s, %d CPUs' % (time.strftime('%Y-%m-%d %H:%M'),
                                                       os.cpu_count()))
    say()
    try:
        setup()
        run_load()
        if os.environ.get('STRESS_FAULTS', '1') != '0':
            run_faults()
    finally:
        teardown()
    say('Rules: %s (%.0f s)' % ('all held' if not broken else '%d broken' % len(broken),
                                time.time() - started))
    for b in broken:
        say('  - ' + b)
    os.makedirs(WORK, exist_ok=True)
    with open(os.path.join(WORK, 'report.txt'), 'w') as f:
        f.write('\n'.join(report_lines) + '\n')
    sys.exit(1 if broken else 0)


if __name__ == '__main__':
    main()
