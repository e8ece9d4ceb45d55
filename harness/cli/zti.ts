// Entry point of the zti binary (harness/bin/zti.js loads the compiled copy of this file).
import { main } from './main.js';

// Exit explicitly once a command is done, so a lingering keep-alive socket never holds the
// process open; `zti serve` keeps running until SIGINT or SIGTERM.
if (!(await main(process.argv))) process.exit(process.exitCode ?? 0);
