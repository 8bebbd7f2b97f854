// Test support: a stand-in for `openclaw-bridge follow`. Prints its arguments
// as one JSON line on stdout and one line on stderr, then waits; SIGTERM makes
// it print a summary and exit 0. With FAKE_BRIDGE_EXIT=<code> it exits at once.
// The SIGTERM handler is installed before anything is printed: the test sends
// SIGTERM as soon as it sees the first line.
const idle = setInterval(() => {}, 1000);
process.on("SIGTERM", () => {
  clearInterval(idle);
  process.stdout.write("openclaw-bridge: 0 events read from 1 file; stopped\n", () => process.exit(0));
});
const args = process.argv.slice(2);
process.stdout.write(`args ${JSON.stringify(args)}\n`);
process.stderr.write("openclaw-bridge: a warning\n");
if (process.env.FAKE_BRIDGE_EXIT) process.exit(Number(process.env.FAKE_BRIDGE_EXIT));
