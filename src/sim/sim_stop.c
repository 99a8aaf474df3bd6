/* sim_stop.c — SIGINT and SIGTERM during `gongji simulate`: caught from the moment the work
 * directory exists until it is removed, so a stop in any phase (generating the population,
 * splitting it, the runs) ends in an error and gj_sim_run removes the directory instead of
 * leaving it under $TMPDIR. The handler only records the signal; the generator's loops, the
 * phases of gj_sim_run and the runs' supervisor (sim_fork.c) look at it. */
#include <signal.h>

#include "sim_internal.h"

/* The signal that asked the simulation to stop (0: none), and the dispositions it replaced. */
static volatile sig_atomic_t stop_signal;
static struct sigaction previous_int, previous_term;

static void on_stop_signal(int sig) { stop_signal = sig; }

void sim_stop_catch(void) {
    struct sigaction stop = {.sa_handler = on_stop_signal};
    sigemptyset(&stop.sa_mask);
    stop_signal = 0;
    sigaction(SIGINT, NULL, &previous_int);
    sigaction(SIGTERM, NULL, &previous_term);
    if (previous_int.sa_handler != SIG_IGN) sigaction(SIGINT, &stop, NULL);
    if (previous_term.sa_handler != SIG_IGN) sigaction(SIGTERM, &stop, NULL);
}

void sim_stop_release(void) {
    sigaction(SIGINT, &previous_int, NULL);
    sigaction(SIGTERM, &previous_term, NULL);
}

void sim_stop_hold(sigset_t *before) {
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, before);
}

const volatile sig_atomic_t *sim_stop_flag(void) { return &stop_signal; }

gj_err sim_stop_check(gj_status *st) {
    if (stop_signal == 0) return GJ_E_OK;
    return gj_fail(st, GJ_E_STOPPED, "simulation stopped by signal %d", (int)stop_signal);
}
