package io.jcorn.master;

import java.util.List;

/**
 * The master's settings, checked.
 *
 * @param binds           where to listen
 * @param workers         how many worker processes
 * @param workerClass     the worker class and its sizes ({@code -k}, {@code --threads}, {@code --worker-connections})
 * @param timeout         seconds a worker may stay silent before it is killed; 0 = never
 * @param gracefulTimeout seconds workers get to finish their requests on a graceful stop
 * @param app             {@code pkg.Class} or {@code pkg.Class::member}
 * @param classpath       the app's classpath, {@code :}-separated
 * @param logLevel        debug, info, warning, error or critical
 * @param workerClasspath the worker JVM's own classpath (jcorn's worker and protocol jars)
 * @param maxRequests     requests after which a worker is replaced; 0 = never
 * @param maxRequestsJitter up to this many more, at random per worker
 * @param maxWorkerMemory a worker whose RSS passes this many MiB is recycled; 0 = no limit
 * @param pidfile         where to write the master's pid, or null
 * @param argv            the command line as given, for a new master started by USR2
 * @param errorLog        the log file of the master and workers, "-" for stderr
 * @param env             environment variables to set for the workers
 * @param umask           the file mode creation mask of the master and workers, or -1 to keep it
 * @param parser          request head limits and strictness, passed on to the workers
 * @param keepAlive       idle seconds a kept-alive connection waits for its next request
 * @param forwardedAllowIps   peers whose scheme headers are believed, {@code *} for all
 * @param secureSchemeHeaders HEADER=VALUE pairs that mean the client used https
 * @param proxyProtocol   off, v1, v2 or auto: the PROXY header connections start with
 * @param proxyAllowFrom  peers that may send a PROXY header, {@code *} for all
 * @param chdir           the workers' working directory (absolute), or null for the master's
 * @param workerUid       the user id workers run as, or -1 for the master's
 * @param workerGid       the group id workers run as, or -1 for the master's
 * @param captureOutput   whether the workers' stdout goes to the error log too (their stderr always does)
 * @param workerTmpDir    the workers' java.io.tmpdir, or null for the JVM's default
 * @param hooks           the server hooks class ({@code pkg.Class}, on the app's classpath), or null
 * @param daemon          whether the master detaches from the terminal once it serves
 * @param accessLog       the workers' access log, "-" for stdout, or null for none
 * @param accessLogFormat its line format, checked
 * @param controlSocket   the unix socket jcorn ctl talks to, or null for none
 * @param metricsBind     where the master serves Prometheus metrics, or null for nowhere
 * @param statsdHost      where the master sends StatsD metrics, or null for nowhere
 * @param statsdPrefix    prepended to StatsD metric names, "" for none
 * @param timeouts        request, header-read and body-read time bounds
 * @param workerJvmOpts   the worker JVM's flags that tune it ({@code --worker-jvm-opts})
 * @param logConfig       the logback XML of the master's log ({@code --log-config}, checked), or null
 */
record Config(List<BindAddress> binds, int workers, io.jcorn.protocol.WorkerClass workerClass, int timeout, int gracefulTimeout,
              String app, String classpath, String logLevel, String workerClasspath,
              int maxRequests, int maxRequestsJitter, int maxWorkerMemory, java.nio.file.Path pidfile,
              List<String> argv, String errorLog, java.util.Map<String, String> env, int umask,
              io.jcorn.protocol.http.ParserOptions parser, int keepAlive,
              String forwardedAllowIps, String secureSchemeHeaders, String proxyProtocol,
              String proxyAllowFrom, java.nio.file.Path chdir, int workerUid, int workerGid,
              boolean captureOutput, java.nio.file.Path workerTmpDir, String hooks, boolean daemon,
              String accessLog, String accessLogFormat,
              java.nio.file.Path controlSocket, BindAddress metricsBind, BindAddress.Tcp statsdHost, String statsdPrefix,
              io.jcorn.protocol.Timeouts timeouts, List<String> workerJvmOpts, java.nio.file.Path logConfig) {}
