package io.jcorn.master;

import io.jcorn.protocol.AccessLogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jcorn [OPTIONS] APP}: Gunicorn's command line, for an app on the JVM. */
@Command(name = "jcorn", mixinStandardHelpOptions = true, versionProvider = JcornCommand.Version.class,
        subcommands = CtlCommand.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Serves APP (pkg.Class or pkg.Class::member) from worker JVMs that share the master's sockets.%n"
                + "Signals to the master: HUP reload, TERM graceful stop, INT quick stop, TTIN/TTOU one worker more/fewer, "
                + "WINCH stop all workers, URG rolling restart (one worker at a time), USR1 reopen logs, USR2 upgrade.")
final class JcornCommand implements Callable<Integer> {
    private static final int MIN_WORKER_MEMORY = 64;
    // Measured (bench/RESULTS.md): Serial GC for one small process of many; a heap that starts at
    // 12 MiB with an 8 MiB young generation: an idle worker keeps only what it touched of it (2 MiB
    // more than a 4 MiB heap), and under load a request's and a connection's objects die young.
    // With a young generation of 1 MiB (the JVM's share of a 4 MiB heap) the objects of requests
    // in hand at a collection overflowed its survivor space into the old generation, which Serial
    // grows rather than collects until the heap's maximum: 1 GiB of garbage after 40 s of load on
    // one worker. Small thread stacks; no perf-data file; the JIT's tier thresholds raised (2000
    // calls for C1, 15000 for C2, two compiler threads), so start-up code is not compiled at boot:
    // a C2 compilation then can leave 4 MiB of compiler memory in an idle worker (45 MiB idle
    // instead of 50; the hot path compiles a fraction of a second later under load). C2 stays on: TieredStopAtLevel=1
    // saves 2 MiB and boots faster, but costs throughput. The native heap is trimmed every 2 s: the
    // JIT's scratch memory, freed a few seconds after its last compilation, then goes back to the
    // system instead of staying in malloc's free lists (an idle worker: 43 MiB instead of 48); a
    // JDK without that flag runs the default without it. The class archive (the AOT cache, or the
    // JDK's CDS archive) is mapped where it was built to sit (ArchiveRelocationMode=0, the JDK's
    // default up to 19): relocated at a random address, as JDK 20+ does by default, its pointers
    // are rewritten in every worker, and 11 workers held 20.5 MiB private each instead of 14.8.
    // The cost is the same in every worker: the archive's address is not randomized, as a forked
    // worker's whole layout is not.
    // Reflection through the JVM's native accessor: the JDK's own default builds method handles for
    // each reflected member on its first call, spinning classes the AOT cache cannot hold, and a
    // worker's boot reflects (mapping its slot, wrapping its sockets): 41 classes and 90 ms of a
    // 290 ms boot measured (bench/RESULTS.md). The cost: a reflective call takes 98 ns instead of
    // 5.5 ns once hot, which an app calling Method.invoke on each request can drop this flag for.
    // No heap cap: an app gets the JVM's usual maximum (a quarter of the RAM); set -Xmx here to bound it.
    static final String DEFAULT_WORKER_JVM_OPTS = "-XX:+UseSerialGC -Xms12m -Xmn8m -Xss256k -XX:-UsePerfData"
            + " -XX:CICompilerCount=2 -XX:Tier3InvocationThreshold=2000 -XX:Tier4InvocationThreshold=15000"
            + " -XX:TrimNativeHeapInterval=2000 -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
            + " -Djdk.reflect.useNativeAccessorOnly=true";
    // Workers run the master's JVM. The native heap trim came to JDK 21 in an update (21.0.0 refuses
    // the flag and no worker would boot): bin/jcorn asks the JDK once and says so in this property.
    private static final String TRIMS_NATIVE_HEAP = "jcorn.jvm.trims-native-heap";
    private static final String CLASS_NAME = "[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*";
    private static final List<String> LOG_LEVELS = List.of("debug", "info", "warning", "error", "critical");

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS",
            description = "Where to listen: HOST:PORT, [IPV6]:PORT or unix:PATH; repeat for several. Default: 127.0.0.1:8000.")
    List<String> binds = new ArrayList<>();

    @Option(names = {"-w", "--workers"}, paramLabel = "INT", defaultValue = "1",
            description = "Number of worker processes. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = {"-k", "--worker-class"}, paramLabel = "STRING", defaultValue = "sync",
            description = "The type of workers: sync (one request at a time, close after each response), gthread "
                    + "(--threads platform threads, keep-alive), virtual (a virtual thread per connection, keep-alive). "
                    + "Default: ${DEFAULT-VALUE}.")
    String workerClass;

    @Option(names = "--threads", paramLabel = "INT", defaultValue = "1",
            description = "Request threads per gthread worker; above 1 with sync means gthread. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--worker-connections", paramLabel = "INT", defaultValue = "1000",
            description = "Most open connections per gthread or virtual worker; at the cap a worker stops accepting. "
                    + "Default: ${DEFAULT-VALUE}.")
    int workerConnections;

    @Option(names = "--request-timeout", paramLabel = "INT", defaultValue = "0",
            description = "Seconds one request may take, any worker class: then its client gets a 503 (or the connection "
                    + "closed if the response began) and the worker lives on; 0 disables. Default: ${DEFAULT-VALUE}.")
    int requestTimeout;

    @Option(names = "--header-read-timeout", paramLabel = "INT", defaultValue = "10",
            description = "Seconds a client has to send a whole request head; slower ones are closed; 0 disables. "
                    + "Default: ${DEFAULT-VALUE}.")
    int headerReadTimeout;

    @Option(names = "--body-read-timeout", paramLabel = "INT", defaultValue = "30",
            description = "Seconds each read of a request body may wait for bytes; then the connection is closed; "
                    + "0 disables. Default: ${DEFAULT-VALUE}.")
    int bodyReadTimeout;

    @Option(names = "--worker-jvm-opts", paramLabel = "FLAGS", defaultValue = DEFAULT_WORKER_JVM_OPTS,
            description = "The worker JVMs' flags (heap, GC, stacks, JIT, class archive, reflection), space-separated; "
                    + "they replace the default, chosen for a small idle worker, class pages shared by all workers "
                    + "and a short boot (reflection through native calls: 90 ns more per reflective call). "
                    + "Default: ${DEFAULT-VALUE} (without the native heap trim on a JDK that lacks it, such as 21.0.0).")
    String workerJvmOpts;

    @Option(names = {"-t", "--timeout"}, paramLabel = "INT", defaultValue = "30",
            description = "Workers silent for more than this many seconds are killed and restarted; 0 disables. Default: ${DEFAULT-VALUE}.")
    int timeout;

    @Option(names = "--graceful-timeout", paramLabel = "INT", defaultValue = "30",
            description = "Seconds workers get to finish their requests on a graceful stop (or a reload), then they are "
                    + "killed; idle kept-alive connections end a little before. Default: ${DEFAULT-VALUE}.")
    int gracefulTimeout;

    @Option(names = "--classpath", paramLabel = "PATH", defaultValue = ".",
            description = "Where the app's classes are: jars and directories, ':'-separated (dir/* for its jars). Default: the current directory.")
    String classpath;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE",
            description = "Set an environment variable for the workers; repeat for several.")
    @GunicornName("raw_env")
    List<String> env = new ArrayList<>();

    @Option(names = {"-m", "--umask"}, paramLabel = "MASK",
            description = "Mask of the unix socket files jcorn binds, as Gunicorn's: their mode is 0777 less it, 0 by default "
                    + "(any local user can connect, a packaged nginx's workers among them). When given, also the file mode "
                    + "creation mask of the master and workers (pidfile, logs), e.g. 0o007.")
    String umask;

    @Option(names = {"--error-logfile", "--log-file"}, paramLabel = "FILE", defaultValue = "-",
            description = "Where the master and the workers log; '-' is stderr. USR1 reopens it. Default: ${DEFAULT-VALUE}.")
    @GunicornName("errorlog")
    String errorLog;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "debug, info, warning, error or critical. Default: ${DEFAULT-VALUE}.")
    @GunicornName("loglevel")
    String logLevel;

    @Option(names = "--log-config", paramLabel = "FILE",
            description = "A logback XML file for the master's log (appenders, layout, levels), in place of --error-logfile "
                    + "and --log-level for the master. The workers write their lines without logback (it would slow their "
                    + "start): they go to --error-logfile as before. HUP reads it again (one that does not load keeps "
                    + "the settings in use, and the master says why).")
    @GunicornName("logconfig")
    java.nio.file.Path logConfig;

    @Option(names = "--access-logfile", paramLabel = "FILE",
            description = "The access log, one line per request, written by the workers; '-' is stdout. USR1 reopens it. "
                    + "Default: none.")
    @GunicornName("accesslog")
    String accessLog;

    @Option(names = "--access-logformat", paramLabel = "FORMAT", defaultValue = AccessLogFormat.DEFAULT,
            description = "The access log line, with Gunicorn's atoms: %%(h)s remote address, %%(l)s '-', %%(u)s user, "
                    + "%%(t)s time, %%(r)s request line, %%(m)s method, %%(U)s path, %%(q)s query, %%(H)s protocol, "
                    + "%%(s)s status, %%(B)s body bytes, %%(b)s body bytes or '-', %%(f)s referer, %%(a)s user agent, "
                    + "%%(T)s seconds, %%(M)s milliseconds, %%(D)s microseconds, %%(L)s decimal seconds, %%(p)s pid, "
                    + "%%({header}i)s request header, %%({header}o)s response header, %%({VAR}e)s environment variable. "
                    + "'json' writes one JSON object per line instead, with time, remote_addr, user, method, uri, protocol, "
                    + "status, bytes, duration_us, referer, user_agent and pid. Default: ${DEFAULT-VALUE}.")
    @GunicornName("access_log_format")
    String accessLogFormat;

    @Option(names = "--max-requests", paramLabel = "INT", defaultValue = "0",
            description = "A worker serves this many requests, then is replaced (bounds a leak); 0 disables. Default: ${DEFAULT-VALUE}.")
    int maxRequests;

    @Option(names = "--max-requests-jitter", paramLabel = "INT", defaultValue = "0",
            description = "Up to this many more requests, at random per worker, so workers do not restart together. Default: ${DEFAULT-VALUE}.")
    int maxRequestsJitter;

    @Option(names = "--max-worker-memory", paramLabel = "MB", defaultValue = "0",
            description = "A worker whose resident memory passes this many MiB is recycled gracefully; 0 disables. Default: ${DEFAULT-VALUE}.")
    int maxWorkerMemory;

    @Option(names = {"-p", "--pid"}, paramLabel = "FILE", description = "Write the master's pid to FILE (removed on exit).")
    @GunicornName("pidfile")
    java.nio.file.Path pidfile;

    // ---- HTTP parsing: Gunicorn's flags, names and defaults; checked here, applied by the workers ----

    @Option(names = "--limit-request-line", paramLabel = "INT", defaultValue = "4094",
            description = "Longest request line in bytes, without its CRLF; above 8190 means 8190, 0 means no limit "
                    + "(1 MiB). Longer: 414. Default: ${DEFAULT-VALUE}.")
    int limitRequestLine;

    @Option(names = "--limit-request-fields", paramLabel = "INT", defaultValue = "100",
            description = "Most header fields in a request; 0 or above 32768 means 32768. More: 431. Default: ${DEFAULT-VALUE}.")
    int limitRequestFields;

    @Option(names = "--limit-request-field_size", paramLabel = "INT", defaultValue = "8190",
            description = "Longest header field in bytes, its CRLF included (a folded one: all its lines); 0 means 8190. "
                    + "Longer: 431. Default: ${DEFAULT-VALUE}.")
    int limitRequestFieldSize;

    @Option(names = "--permit-unconventional-http-method",
            description = "Accept any token as a method, also lower-case ones and ones outside 3-20 bytes.")
    boolean permitUnconventionalHttpMethod;

    @Option(names = "--casefold-http-method", description = "Upper-case methods before the app sees them.")
    boolean casefoldHttpMethod;

    @Option(names = "--permit-obsolete-folding",
            description = "Join obsolete folded header lines (RFC 9112 5.2) instead of answering 400.")
    boolean permitObsoleteFolding;

    @Option(names = "--strip-header-spaces",
            description = "Take spaces and tabs between a header name and its colon as not there, instead of answering "
                    + "400. Gunicorn's, deprecated there: a proxy in front may read such a header otherwise (request "
                    + "smuggling).")
    boolean stripHeaderSpaces;

    @Option(names = "--header-map", paramLabel = "drop|refuse|dangerous", defaultValue = "drop",
            description = "Header names with '_': drop them, answer 400, or pass them on (they may overwrite the '-' spelling). "
                    + "Default: ${DEFAULT-VALUE}.")
    String headerMap;

    private io.jcorn.protocol.http.ParserOptions parserOptions() {
        // Gunicorn takes any of these that is not negative, and bounds it where it is read (ParserOptions)
        if (limitRequestLine < 0) throw usage("--limit-request-line must be 0 or more, not " + limitRequestLine);
        if (limitRequestFields < 0) throw usage("--limit-request-fields must be 0 or more, not " + limitRequestFields);
        if (limitRequestFieldSize < 0) throw usage("--limit-request-field_size must be 0 or more, not " + limitRequestFieldSize);
        if (keepAlive < 1) throw usage("--keep-alive must be at least 1 (second), not " + keepAlive);
        if (!List.of("drop", "refuse", "dangerous").contains(headerMap)) {
            throw usage("--header-map must be drop, refuse or dangerous, not '" + headerMap + "'");
        }
        return new io.jcorn.protocol.http.ParserOptions(limitRequestLine, limitRequestFields, limitRequestFieldSize,
                permitUnconventionalHttpMethod, casefoldHttpMethod, permitObsoleteFolding,
                io.jcorn.protocol.http.ParserOptions.HeaderMap.valueOf(headerMap.toUpperCase()), stripHeaderSpaces);
    }

    @Option(names = "--keep-alive", paramLabel = "INT", defaultValue = "2",
            description = "Seconds a kept-alive connection waits for its next request (gthread and virtual; sync "
                    + "workers close after each response), also on a stopping worker, which answers it with "
                    + "Connection: close. Default: ${DEFAULT-VALUE}.")
    int keepAlive;

    @Option(names = "--forwarded-allow-ips", paramLabel = "IPS",
            description = "Comma-separated peer addresses (as in REMOTE_ADDR) whose --secure-scheme-headers are believed; "
                    + "'*' for all. Default: $FORWARDED_ALLOW_IPS, else 127.0.0.1,::1. Unix socket peers are always believed.")
    String forwardedAllowIps;

    @Option(names = "--secure-scheme-headers", paramLabel = "HEADER=VALUE,...",
            defaultValue = io.jcorn.protocol.http.SchemeRules.DEFAULT_HEADERS,
            description = "Headers a trusted proxy sets to say the client used https; contradicting ones are a 400. "
                    + "Default: ${DEFAULT-VALUE}.")
    String secureSchemeHeaders;

    @Option(names = "--proxy-protocol", paramLabel = "off|v1|v2|auto", defaultValue = "off",
            description = "Connections start with a PROXY protocol header (HAProxy) of this version, giving REMOTE_ADDR "
                    + "and REMOTE_PORT; auto: v1, v2 or none. Default: ${DEFAULT-VALUE}.")
    String proxyProtocol;

    @Option(names = "--proxy-allow-from", paramLabel = "IPS", defaultValue = "127.0.0.1,::1",
            description = "Peers that may send a PROXY header, comma-separated, '*' for all; others are disconnected. "
                    + "Default: ${DEFAULT-VALUE}.")
    @GunicornName("proxy_allow_ips")
    String proxyAllowFrom;

    private String proxyProtocol() {
        if (!List.of("off", "v1", "v2", "auto").contains(proxyProtocol)) {
            throw usage("--proxy-protocol must be off, v1, v2 or auto, not '" + proxyProtocol + "'");
        }
        return proxyProtocol;
    }

    private String forwardedAllowIps() {
        String ips = forwardedAllowIps != null ? forwardedAllowIps : System.getenv("FORWARDED_ALLOW_IPS");
        ips = ips != null ? ips : io.jcorn.protocol.http.SchemeRules.DEFAULT_ALLOW_IPS;
        try {
            io.jcorn.protocol.http.SchemeRules.parse(ips, secureSchemeHeaders);
        } catch (IllegalArgumentException e) {
            throw usage("--secure-scheme-headers: " + e.getMessage());
        }
        return ips;
    }

    // ---- end of HTTP parsing ----

    // ---- Workers' process: where and as whom they run ----

    @Option(names = "--chdir", paramLabel = "DIR",
            description = "The workers' working directory: the app's relative paths, a relative --classpath included, start there.")
    java.nio.file.Path chdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Run the workers as this user (name or id; the master must be root). Its group too, unless --group.")
    String user;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP",
            description = "Run the workers with this group (name or id; the master must be root).")
    String group;

    @Option(names = "--worker-tmp-dir", paramLabel = "DIR",
            description = "The workers' java.io.tmpdir (Gunicorn's heartbeat files live in memory here: jcorn uses none).")
    java.nio.file.Path workerTmpDir;

    // ---- Daemon duties ----

    @Option(names = {"-D", "--daemon"}, defaultValue = "false",
            description = "Detach: the master runs in a new session with stdio on /dev/null (log with --error-logfile); "
                    + "jcorn returns once the workers serve, or exits 1 with the reason.")
    boolean daemon;

    @Option(names = "--capture-output", defaultValue = "false",
            description = "The workers' stdout goes to --error-logfile too (their stderr, thread dumps included, always does).")
    boolean captureOutput;

    @Option(names = "--hooks", paramLabel = "CLASS",
            description = "Server hooks: a class implementing io.jcorn.protocol.ServerHooks, on --classpath.")
    String hooks;

    // ---- Settings about settings ----

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Read settings from FILE: 'key = value' lines, keys as the long options without '--' "
                    + "(workers = 3, worker_class = sync). The command line and $JCORN_CMD_ARGS override it. "
                    + "Default: ./jcorn.conf when there is one.")
    java.nio.file.Path config;

    @Option(names = "--print-config", description = "Print every setting, its value and where it comes from, then exit.")
    boolean printConfig;

    @Option(names = "--check-config",
            description = "Check the settings and load the app in a throwaway worker JVM (as --user/--group when given), "
                    + "binding nothing; exit 0, or 1 with the reason.")
    boolean checkConfig;

    @Option(names = "--train-aot-cache",
            description = "Train the workers' AOT cache for these settings (JDK 25 and later), as the master does at its "
                    + "first start, then exit, binding nothing and loading no app (APP may be left out): for an image "
                    + "build, so that a container's first worker boots from the cache. Exit 0, or 1 with the reason.")
    boolean trainAotCache;

    // ---- Operating it: control socket and metrics ----

    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "The unix socket jcorn ctl talks to (mode 0600; only this user or root). "
                    + "Default: $XDG_RUNTIME_DIR/jcorn/jcorn.sock, else /tmp/jcorn-UID/jcorn.sock.")
    java.nio.file.Path controlSocket;

    @Option(names = "--no-control-socket", defaultValue = "false", description = "Open no control socket.")
    boolean noControlSocket;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS",
            description = "Serve Prometheus metrics at http://ADDRESS/metrics (HOST:PORT or unix:PATH) from the master, "
                    + "and /healthz for probes: 200 while a worker serves, 503 while none does or while stopping.")
    String metricsBind;

    @Option(names = "--statsd-host", paramLabel = "HOST:PORT",
            description = "Send StatsD metrics (Gunicorn's, named jcorn.*) over UDP to HOST:PORT, once a second.")
    String statsdHost;

    @Option(names = "--statsd-prefix", paramLabel = "STRING", defaultValue = "",
            description = "Prefix for the StatsD metric names, joined with a dot. Default: none.")
    String statsdPrefix;

    private java.nio.file.Path controlSocket() {
        if (noControlSocket) return null;
        return controlSocket != null ? controlSocket.toAbsolutePath() : ControlSocket.defaultPath();
    }

    private BindAddress metricsBind() {
        if (metricsBind == null) return null;
        try {
            return BindAddress.parse(metricsBind);
        } catch (IllegalArgumentException e) {
            throw usage("invalid --metrics-bind " + e.getMessage());
        }
    }

    private BindAddress.Tcp statsdHost() {
        if (statsdHost == null) return null;
        try {
            if (!statsdHost.matches(".*:\\d+") || !(BindAddress.parse(statsdHost) instanceof BindAddress.Tcp tcp)) {
                throw new IllegalArgumentException("'" + statsdHost + "' is not HOST:PORT");
            }
            return tcp;
        } catch (IllegalArgumentException e) {
            throw usage("invalid --statsd-host " + e.getMessage());
        }
    }

    // ---- end of operating it ----

    // Optional to picocli only so that `jcorn ctl ...` needs no APP; checked in config().
    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "The app: pkg.Class or pkg.Class::member.")
    @GunicornName("wsgi_app")
    String app;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private List<String> argv = List.of();
    private Settings settings;

    public static void main(String[] args) {
        System.setProperty("jcorn.pid", Long.toString(ProcessHandle.current().pid()));
        JcornCommand command = new JcornCommand();
        command.argv = List.of(args);
        if (args.length > 0 && args[0].equals("ctl")) System.exit(CtlCommand.execute(new CommandLine(command), args));
        try {
            command.settings = Settings.resolve(command.argv, System.getenv(Settings.ENV));
        } catch (CommandLine.ParameterException | Settings.Invalid e) {
            System.err.println("jcorn: " + e.getMessage() + (e instanceof Settings.Invalid ? "" : " (see jcorn --help)"));
            System.exit(2);
        }
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((e, argv) -> {
            System.err.println("jcorn: " + e.getMessage() + command.settings.whereFrom(e.getMessage(), cli.getCommandSpec()));
            return 2;
        });
        System.exit(cli.execute(command.settings.args().toArray(String[]::new)));
    }

    @Override
    public Integer call() {
        if (printConfig) {
            settings.print(spec, System.out);
            return 0;
        }
        Config config = config();
        if (checkConfig) return ConfigCheck.run(config);
        if (trainAotCache) return AotCache.trainFor(config);
        if (Daemon.mustDetach(config, System.getenv())) return Daemon.detach(config);
        ErrorLog.configure(config);
        ErrorLog.handOver(config.accessLog(), config.workerUid(), config.workerGid());
        return new Arbiter(config, JcornCommand::reread).run();
    }

    /** HUP: the settings again, from the same command line but the config file and JCORN_CMD_ARGS as they are now. */
    static Config reread(List<String> argv) {
        JcornCommand command = new JcornCommand();
        command.argv = argv;
        command.settings = Settings.resolve(argv, System.getenv(Settings.ENV));
        new CommandLine(command).parseArgs(command.settings.args().toArray(String[]::new));
        return command.config();
    }

    private Config config() {
        if (workers < 1) throw usage("--workers must be at least 1, not " + workers);
        if (timeout < 0) throw usage("--timeout must be 0 or more, not " + timeout);
        if (gracefulTimeout < 0) throw usage("--graceful-timeout must be 0 or more, not " + gracefulTimeout);
        if (maxRequests < 0) throw usage("--max-requests must be 0 or more, not " + maxRequests);
        if (maxWorkerMemory != 0 && maxWorkerMemory < MIN_WORKER_MEMORY) {
            throw usage("--max-worker-memory must be 0 or at least " + MIN_WORKER_MEMORY
                    + " (MB): a worker JVM starts at about 50 MB, it would be recycled as soon as it boots");
        }
        if (maxRequestsJitter < 0) throw usage("--max-requests-jitter must be 0 or more, not " + maxRequestsJitter);
        if (!errorLog.equals("-")) checkWritable("--error-logfile", errorLog);
        if (accessLog != null && !accessLog.equals("-")) checkWritable("--access-logfile", accessLog);
        accessLogFormat();
        if (!LOG_LEVELS.contains(logLevel.toLowerCase())) {
            throw usage("unknown log level '" + logLevel + "' (one of " + String.join(", ", LOG_LEVELS) + ")");
        }
        String logConfigProblem = logConfig == null ? null : ErrorLog.check(logConfig);
        if (logConfigProblem != null) throw usage("--log-config " + logConfig + ": " + logConfigProblem);
        if (app == null && (!trainAotCache || checkConfig)) throw usage("Missing required parameter: 'APP'");
        if (app != null && !app.matches(CLASS_NAME + "(::[\\p{L}_$][\\p{L}\\p{N}_$]*)?")) {
            throw usage("'" + app + "' is not an app name: give pkg.Class or pkg.Class::member");
        }
        String workerClasspath = System.getProperty("jcorn.worker.classpath");
        if (workerClasspath == null) throw usage("jcorn.worker.classpath is not set: start jcorn with bin/jcorn");
        List<BindAddress> addresses = new ArrayList<>();
        try {
            for (String bind : binds.isEmpty() ? List.of("127.0.0.1:8000") : binds) addresses.add(BindAddress.parse(bind));
        } catch (IllegalArgumentException e) {
            throw usage("invalid --bind " + e.getMessage());
        }
        WorkerIds workerIds = workerIds();
        return new Config(addresses, workers, workerClass(), timeout, gracefulTimeout, app, classpath,
                logLevel.toLowerCase(), workerClasspath, maxRequests, maxRequestsJitter,
                maxWorkerMemory, pidfile, argv, errorLog, environment(), umask(),
                parserOptions(), keepAlive,
                forwardedAllowIps(), secureSchemeHeaders, proxyProtocol(), proxyAllowFrom,
                chdir(), workerIds.uid(), workerIds.gid(), captureOutput, workerTmpDir(), hooks(), daemon,
                accessLog, accessLogFormat, controlSocket(), metricsBind(), statsdHost(), statsdPrefix,
                timeouts(), workerJvmOpts(), logConfig);
    }

    // Gunicorn's rule: more than one thread makes a sync worker a gthread one.
    private io.jcorn.protocol.WorkerClass workerClass() {
        io.jcorn.protocol.WorkerClass.Kind kind;
        try {
            kind = io.jcorn.protocol.WorkerClass.Kind.parse(workerClass);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (threads < 1) throw usage("--threads must be at least 1, not " + threads);
        if (workerConnections < 1) throw usage("--worker-connections must be at least 1, not " + workerConnections);
        if (kind == io.jcorn.protocol.WorkerClass.Kind.SYNC && threads > 1) kind = io.jcorn.protocol.WorkerClass.Kind.GTHREAD;
        if (kind == io.jcorn.protocol.WorkerClass.Kind.SYNC) return io.jcorn.protocol.WorkerClass.SYNC;
        return new io.jcorn.protocol.WorkerClass(kind, threads, workerConnections);
    }

    private io.jcorn.protocol.Timeouts timeouts() {
        if (requestTimeout < 0) throw usage("--request-timeout must be 0 or more, not " + requestTimeout);
        if (headerReadTimeout < 0) throw usage("--header-read-timeout must be 0 or more, not " + headerReadTimeout);
        if (bodyReadTimeout < 0) throw usage("--body-read-timeout must be 0 or more, not " + bodyReadTimeout);
        return new io.jcorn.protocol.Timeouts(requestTimeout, headerReadTimeout, bodyReadTimeout);
    }

    private List<String> workerJvmOpts() {
        List<String> flags = java.util.Arrays.stream(workerJvmOpts.strip().split("\\s+")).filter(f -> !f.isEmpty()).toList();
        for (String flag : flags) {
            if (!flag.startsWith("-")) throw usage("--worker-jvm-opts takes JVM flags, each starting with '-', not '" + flag + "'");
        }
        if (workerJvmOpts.equals(DEFAULT_WORKER_JVM_OPTS) && !Boolean.getBoolean(TRIMS_NATIVE_HEAP)) {
            flags = flags.stream().filter(flag -> !flag.startsWith("-XX:TrimNativeHeapInterval=")).toList();
        }
        return flags;
    }

    private java.util.Map<String, String> environment() {
        java.util.Map<String, String> result = new java.util.LinkedHashMap<>();
        for (String pair : env) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw usage("--env wants KEY=VALUE, not '" + pair + "'");
            result.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return result;
    }

    private record WorkerIds(int uid, int gid) {}

    /** The user and group the workers run as, -1 for the master's; the master must be root to switch. */
    private WorkerIds workerIds() {
        if (user == null && group == null) return new WorkerIds(-1, -1);
        jnr.posix.POSIX posix = jnr.posix.POSIXFactory.getNativePOSIX();
        if (posix.geteuid() != 0) throw usage("--user and --group need the master to run as root");
        int uid = -1, gid = -1;
        if (user != null) {
            jnr.posix.Passwd entry = user.matches("\\d+") ? posix.getpwuid(Integer.parseInt(user)) : posix.getpwnam(user);
            if (entry == null) throw usage("--user: no such user '" + user + "'");
            uid = (int) entry.getUID();
            gid = (int) entry.getGID();
        }
        if (group != null && group.matches("\\d+")) {
            gid = Integer.parseInt(group);
        } else if (group != null) {
            jnr.posix.Group entry = posix.getgrnam(group);
            if (entry == null) throw usage("--group: no such group '" + group + "'");
            gid = (int) entry.getGID();
        }
        return new WorkerIds(uid, gid);
    }

    private java.nio.file.Path workerTmpDir() {
        if (workerTmpDir == null) return null;
        if (!java.nio.file.Files.isDirectory(workerTmpDir)) throw usage("--worker-tmp-dir: '" + workerTmpDir + "' is not a directory");
        return workerTmpDir.toAbsolutePath().normalize();
    }

    private String hooks() {
        if (hooks != null && !hooks.matches(CLASS_NAME)) throw usage("--hooks wants a class name (pkg.Class), not '" + hooks + "'");
        return hooks;
    }

    private java.nio.file.Path chdir() {
        if (chdir == null) return null;
        if (!java.nio.file.Files.isDirectory(chdir)) throw usage("--chdir: '" + chdir + "' is not a directory");
        return chdir.toAbsolutePath().normalize();
    }

    // Gunicorn's forms: 0o077, 0077 (octal), or a decimal number.
    private int umask() {
        if (umask == null) return -1;
        try {
            int value = umask.startsWith("0o") || umask.startsWith("0O") ? Integer.parseInt(umask.substring(2), 8)
                    : umask.startsWith("0") && umask.length() > 1 ? Integer.parseInt(umask.substring(1), 8)
                    : Integer.parseInt(umask);
            if (value >= 0 && value <= 0777) return value;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw usage("--umask wants an octal mask such as 0o077, not '" + umask + "'");
    }

    private void checkWritable(String option, String path) {
        try (var out = new java.io.FileOutputStream(path, true)) {
            // can be written: the master and workers will append to it
        } catch (java.io.IOException e) {
            throw usage(option + " " + path + " cannot be written: " + e.getMessage());
        }
    }

    private void accessLogFormat() {
        try {
            AccessLogFormat.compile(accessLogFormat);
        } catch (IllegalArgumentException e) {
            throw usage("--access-logformat: " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static String version() {
        String v = JcornCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jcorn " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
