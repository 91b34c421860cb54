#!/usr/bin/python3
"""An SMTP sink on the loopback for the tests and the demo (Debian's python3-aiosmtpd).

Every message it accepts is written, exactly as received, into a Maildir (new/), with the
envelope in X-Envelope-From / X-Envelope-To headers added on top; with --print, a summary and
the text part are printed as they arrive (the demo shows them in its terminal).

    /usr/bin/python3 test/smtp/sink.py --port 2525 --maildir DIR [--print]
        [--tls-cert PEM --tls-key PEM [--auth USER:PASSWORD-FILE]]

With --tls-cert it offers STARTTLS, and with --auth it takes a mail only after TLS and a login
(PLAIN or LOGIN) as USER with the password in PASSWORD-FILE; each mail then also gets
X-Sink-TLS (yes/no) and X-Sink-Auth (the user logged in, or -) on top, so that a test can tell
how it arrived. SEANCES_SINK_DEBUG=1 in the environment logs the whole conversation (aiosmtpd's
debug log) on stderr, which test/TEST sends to test/logs/NAME_sink.log.
"""
import argparse
import asyncio
import email
import email.policy
import mailbox
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class MaildirHandler:
    def __init__(self, path, show, tls):
        self.box = mailbox.Maildir(path, create=True)
        self.show = show
        self.tls = tls

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        head = ("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n"
                % (envelope.mail_from, ", ".join(envelope.rcpt_tos)))
        if self.tls:
            login = session.auth_data.login.decode() if session.authenticated else "-"
            head += "X-Sink-TLS: %s\r\nX-Sink-Auth: %s\r\n" % (
                "yes" if session.ssl is not None else "no", login)
        self.box.add(head.encode() + data)
        if self.show:
            show(data)
        return "250 OK"


def show(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    print("=" * 72)
    for name in ("Date", "From", "To", "Subject"):
        print("%-8s %s" % (name + ":", msg.get(name, "")))
    part = msg.get_body(preferencelist=("plain",))
    if part is not None:
        print("")
        print(part.get_content().rstrip())
    print("=" * 72, flush=True)


class Authenticator:
    """Accepts USER with the password of the file (first line), by PLAIN or LOGIN."""

    def __init__(self, spec):
        user, path = spec.split(":", 1)
        with open(path, encoding="utf-8") as f:
            self.user, self.password = user.encode(), f.readline().rstrip("\r\n").encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--print", dest="show", action="store_true")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--auth", metavar="USER:PASSWORD-FILE")
    args = ap.parse_args()
    if os.environ.get("SEANCES_SINK_DEBUG"):
        import logging
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(message)s")
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # Python 3.11's asyncio does not hand over a command that arrives with the end of a
        # TLS 1.3 handshake until more data comes: the client's EHLO was read 10 s late, when
        # the client gave up (seen in the debug log of test/55_smtp_tls.t, 4 runs in 6)
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        options["tls_context"] = context
    if args.auth:
        options.update(authenticator=Authenticator(args.auth), auth_required=True,
                       auth_require_tls=True)
    handler = MaildirHandler(args.maildir, args.show, bool(args.tls_cert))
    controller = Controller(handler, hostname=args.host, port=args.port, **options)
    controller.start()
    print("SMTP sink on %s:%d, mails in %s" % (args.host, args.port, args.maildir), flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
