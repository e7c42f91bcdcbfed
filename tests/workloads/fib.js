// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fib.js MS: node on CPU in one JavaScript function, fibonacci(), for MS
// milliseconds. Run with --perf-basic-prof, node names its JIT's code in
// /tmp/perf-PID.map; ground truth: the pid, and the function's name.
'use strict';

function fibonacci(n) {
	return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
}

const ms = Number(process.argv[2] || 1000);
const start = Date.now();
let sum = 0;

console.log(`truth pid ${process.pid}`);
while (Date.now() - start < ms)
	sum += fibonacci(22);
if (sum < 0)
	console.log(sum);
