package io.jcorn.master;

/** What wakes the arbiter: a signal to the master (CHLD included). Handlers only enqueue these. */
enum Event {
    HUP(1), INT(2), USR1(10), USR2(12), TERM(15), CHLD(17), TTIN(21), TTOU(22), WINCH(28);

    final int number;

    Event(int number) {
        this.number = number;
    }
}
