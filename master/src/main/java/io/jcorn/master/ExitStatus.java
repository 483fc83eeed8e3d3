package io.jcorn.master;

/** How a child ended, decoded from a {@code waitpid} status: an exit code or a signal. */
record ExitStatus(int code, int signal) {

    static ExitStatus fromWaitStatus(int status) {
        int termSignal = status & 0x7f;
        if (termSignal == 0) return new ExitStatus((status >> 8) & 0xff, 0);
        return new ExitStatus(-1, termSignal);
    }

    boolean signaled() {
        return signal != 0;
    }

    String signalName() {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }

    @Override
    public String toString() {
        return signaled() ? "killed by " + signalName() : "exit code " + code;
    }
}
