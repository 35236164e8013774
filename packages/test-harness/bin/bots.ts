import { main } from '../src/cli/main.ts';

// wrtc may crash while tearing down native threads at exit, so the code is set explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(3);
  },
);
