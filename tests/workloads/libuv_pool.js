// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// libuv_pool.js [CALLS] [IN_FLIGHT] [ITERATIONS]: CALLS crypto.pbkdf2 calls,
// IN_FLIGHT at a time, each on a thread of libuv's pool (UV_THREADPOOL_SIZE
// threads, 4 unset): more in flight than the pool has threads keeps it
// saturated. Ground truth on stdout:
//   truth calls N
//   truth in_flight N
//   truth uv_threadpool_size N      the environment's, 0 when unset
'use strict';
const crypto = require('crypto');

const calls = Number(process.argv[2] || 16);
const inFlight = Number(process.argv[3] || 16);
const iterations = Number(process.argv[4] || 100000);
let started = 0;
let done = 0;

function next() {
	if (started >= calls)
		return;
	started++;
	crypto.pbkdf2('password', 'salt', iterations, 64, 'sha512', (err) => {
		if (err)
			throw err;
		if (++done === calls) {
			console.log(`truth calls ${calls}`);
			console.log(`truth in_flight ${inFlight}`);
			console.log(`truth uv_threadpool_size ${Number(process.env.UV_THREADPOOL_SIZE || 0)}`);
		}
		next();
	});
}

for (let i = 0; i < inFlight; i++)
	next();
