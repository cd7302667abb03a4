// Two workers on the 2-core machines: vitest's default (cores − 1) runs the files one at a time, and most
// of them wait on child `lth` processes, so a second worker nearly halves the wall time (issue 16 added the
// atlas's tests to a suite already at its 8-minute budget).
export default { test: { include: ['test/**/*.test.ts'], testTimeout: 120000, maxWorkers: 2 } };
