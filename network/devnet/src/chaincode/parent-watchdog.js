'use strict';

// Preloaded (node --require) into a chaincode the devnet spawns: the devnet holds the other end
// of this process's stdin, so end-of-input means the devnet is gone, even when it was killed
// with SIGKILL. Exiting then leaves no orphaned chaincode server behind.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
