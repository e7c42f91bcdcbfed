# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""gil_threads.py [THREADS] [ITERATIONS]: pure-Python CPU work in THREADS
threads, which the GIL runs one at a time. Ground truth on stdout:
  truth threads N
  truth iterations N        per thread
  truth rusage_cpu_ns N
"""
import resource
import sys
import threading


def work(n, out, idx):
    s = 0
    for i in range(n):
        s += i * i % 7
    out[idx] = s


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 6000000
    out = [0] * threads
    pool = [threading.Thread(target=work, args=(iterations, out, i)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print("truth threads %d" % threads)
    print("truth iterations %d" % iterations)
    print("truth rusage_cpu_ns %d" % int((ru.ru_utime + ru.ru_stime) * 1e9))
    return 0


if __name__ == "__main__":
    sys.exit(main())
