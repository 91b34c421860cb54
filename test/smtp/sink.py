#!/usr/bin/python3
"""An SMTP sink on the loopback for the tests and the demo (Debian's python3-aiosmtpd).

Every message it accepts is written, exactly as received, into a Maildir (new/), with the
envelope in X-Envelope-From / X-Envelope-To headers added on top; with --print, a summary and
the text part are printed as they arrive (the demo shows them in its terminal).

    /usr/bin/python3 test/smtp/sink.py --port 2525 --maildir DIR [--print]
"""
import argparse
import asyncio
import email
import email.policy
import mailbox
import os
import signal
import sys

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, path, show):
        self.box = mailbox.Maildir(path, create=True)
        self.show = show

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        head = ("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n"
                % (envelope.mail_from, ", ".join(envelope.rcpt_tos))).encode()
        self.box.add(head + data)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--print", dest="show", action="store_true")
    args = ap.parse_args()
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
    controller = Controller(MaildirHandler(args.maildir, args.show), hostname=args.host,
                            port=args.port)
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
