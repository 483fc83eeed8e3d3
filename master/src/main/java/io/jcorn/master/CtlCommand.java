package io.jcorn.master;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jcorn ctl COMMAND}: asks a running master over its control socket; starts nothing. */
@Command(name = "ctl", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Asks a running jcorn master over its control socket. Commands:%n"
                + "  status                  the workers: pid, age, idle/busy, current request, requests, memory%n"
                + "  workers add|remove N    N workers more or fewer (as N TTIN/TTOU)%n"
                + "  reload                  a new generation of workers (as HUP)%n"
                + "  rolling-restart         replace the workers one by one%n"
                + "  reopen-logs             reopen the log files (as USR1)%n"
                + "  shutdown [--graceful]   stop now (as INT), or finish the requests first (as TERM)%n"
                + "  config                  the master's effective settings")
final class CtlCommand implements Callable<Integer> {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "The master's control socket. Default: the master's default, $XDG_RUNTIME_DIR/jcorn/jcorn.sock "
                    + "or /tmp/jcorn-UID/jcorn.sock.")
    Path socket;

    @Option(names = "--json", defaultValue = "false", description = "Print the master's JSON answer as it is.")
    boolean json;

    @Option(names = "--graceful", defaultValue = "false", description = "With shutdown: let the workers finish their requests.")
    boolean graceful;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "See above.")
    List<String> command;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs {@code jcorn ctl ...}: a running master is asked, no config file or $JCORN_CMD_ARGS is read. */
    static int execute(CommandLine jcorn, String[] args) {
        jcorn.setParameterExceptionHandler((e, argv) -> {
            System.err.println("jcorn ctl: " + e.getMessage() + " (see jcorn ctl --help)");
            return 2;
        });
        return jcorn.execute(args);
    }

    @Override
    public Integer call() {
        Path path = socket != null ? socket : ControlSocket.defaultPath();
        String request = String.join(" ", command) + (graceful ? " graceful" : "");
        String answer;
        try {
            answer = ask(path, request);
        } catch (IOException e) {
            spec.commandLine().getErr().println("jcorn ctl: can't reach a master at " + path + ": " + e.getMessage());
            return 1;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> reply = (Map<String, Object>) Json.parse(answer);
        boolean ok = Boolean.TRUE.equals(reply.get("ok"));
        var out = ok ? spec.commandLine().getOut() : spec.commandLine().getErr();
        if (json) out.println(answer);
        else if (!ok) out.println("jcorn ctl: " + reply.get("error"));
        else out.print(CtlOutput.render(command.getFirst(), reply));
        out.flush();
        return ok ? 0 : 1;
    }

    private static String ask(Path path, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            byte[] answer = Channels.newInputStream(channel).readAllBytes();
            if (answer.length == 0) throw new IOException("the master closed the connection without answering");
            return new String(answer, StandardCharsets.UTF_8).strip();
        }
    }
}
