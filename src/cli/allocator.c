/* allocator.c — the settings jemalloc (the executables' allocator, CMakeLists.txt) reads when
 * the CLI starts: its `malloc_conf` symbol, which overrides the library's weak default.
 *
 * thp:always — jemalloc asks the kernel for transparent huge pages (2 MiB) for the memory it
 * maps; this machine's kernel gives them only to memory that asks (THP "madvise"). A simulation's
 * stores live in memory, and every shard then ran in a fresh child process, so each of its
 * pages was faulted in one 4 KiB page at a time: 184,000 faults for a year of 9,965 insured,
 * 12,700 with huge pages, and the year took ~20 % less time for ~8 % more resident memory
 * (bench/README.md, 2026-12-01; since then a worker process runs shard after shard, reusing
 * its memory: sim_fork.c). gongjid keeps jemalloc's defaults (a long-running server's
 * memory is small and stays). Builds without jemalloc (ASan, fuzz) ignore the symbol. */
const char *malloc_conf = "thp:always";
