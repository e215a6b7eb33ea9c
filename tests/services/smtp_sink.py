#!/usr/bin/env python3
"""An SMTP sink for vouch's tests: accepts every message and writes it to a directory, one file
per delivery (the envelope's recipients first, as an X-Envelope-To line), so a test can count
what arrived and find duplicates. Runs until killed.

    smtp_sink.py --port 2525 --dir /tmp/sink [--delay-ms 100]

--delay-ms makes it as slow as a distant mail server: each message is accepted that long after
its data arrived (the file is written, then 250 is answered).
"""

import argparse
import asyncio
import os
import time
import uuid

from aiosmtpd.smtp import SMTP


class Saver:
    def __init__(self, directory, delay):
        self.directory = directory
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        tmp = os.path.join(self.directory, "." + name)
        with open(tmp, "wb") as f:
            f.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        # Complete files only: a reader never sees half a message.
        os.replace(tmp, os.path.join(self.directory, name))
        return "250 OK"


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--delay-ms", type=float, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Saver(args.dir, args.delay_ms / 1000)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="sink"), args.host, args.port
    )
    print(f"smtp sink on {args.host}:{args.port}, writing to {args.dir}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
