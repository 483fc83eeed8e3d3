package io.jcorn.master;

/**
 * What wakes the arbiter: a signal to the master (CHLD included), or a command asking for the
 * same. Handlers only enqueue these.
 */
enum Event {
    HUP(1), INT(2), USR1(10), USR2(12), TERM(15), CHLD(17), TTIN(21), TTOU(22), WINCH(28),
    /** Replace the workers one at a time (Puma's phased restart); signal URG, which Gunicorn leaves unused. */
    ROLLING_RESTART(23, "URG");

    /** The signal that brings this event. */
    final int number;
    /** The signal's name, without SIG. */
    final String signal;

    Event(int number) {
        this.number = number;
        this.signal = name();
    }

    Event(int number, String signal) {
        this.number = number;
        this.signal = signal;
    }
}
