#!/usr/bin/python3
"""The cost of a login's write transaction (BEGIN IMMEDIATE, an event row, a throttle row,
COMMIT) in each sqlite journal mode and synchronous setting, on the disk of build/: the
measurement behind "WAL with synchronous=NORMAL" (README, "Reliability and operations").
Usage: /usr/bin/python3 test/stress/journal.py"""
import os
import sqlite3
import time

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'build', 'journal')


def one_run(mode, sync, n=300):
    path = os.path.join(DIR, 'j.db')
    for suffix in ('', '-wal', '-shm', '-journal'):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute('PRAGMA journal_mode = %s' % mode)
    db.execute('PRAGMA synchronous = %s' % sync)
    db.execute('CREATE TABLE events (id INTEGER PRIMARY KEY, time, user, result)')
    db.execute('CREATE TABLE throttle (key PRIMARY KEY, failures)')
    start = time.time()
    for i in range(n):
        db.execute('BEGIN IMMEDIATE')
        db.execute('INSERT INTO events (time, user, result) VALUES (?, ?, ?)', (i, 'u', 'ok'))
        db.execute('INSERT OR REPLACE INTO throttle VALUES (?, ?)', ('k%d' % (i % 50), i))
        db.execute('COMMIT')
    db.close()
    return (time.time() - start) / n * 1000


def main():
    os.makedirs(DIR, exist_ok=True)
    for mode, sync in (('delete', 'full'), ('delete', 'normal'), ('wal', 'full'),
                       ('wal', 'normal')):
        runs = [one_run(mode, sync) for _ in range(3)]
        print('journal_mode=%-6s synchronous=%-6s %7.3f ms per login transaction '
              '(mean of 3 runs of 300)' % (mode, sync, sum(runs) / len(runs)))


if __name__ == '__main__':
    main()
