package io.jcorn.master.testapps;

import io.jcorn.protocol.ServerHooks;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Server hooks that append "PID NAME ARGS" to the file named by $HOOKS_FILE, one line per call
 * (one small append each, so the master's and the workers' lines do not mix). on_reload throws
 * after recording: a failing hook must not stop the server.
 */
public final class RecordingHooks implements ServerHooks {
    private static void record(String line) {
        try (FileOutputStream out = new FileOutputStream(System.getenv("HOOKS_FILE"), true)) {
            out.write((ProcessHandle.current().pid() + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public void onStarting() { record("onStarting"); }
    @Override public void whenReady() { record("whenReady"); }
    @Override public void preFork(int workerId) { record("preFork " + workerId); }
    @Override public void childExit(int workerId, long pid) { record("childExit " + workerId + " " + pid); }
    @Override public void workerAbort(int workerId, long pid) { record("workerAbort " + workerId + " " + pid); }
    @Override public void nworkersChanged(int newValue, int oldValue) { record("nworkersChanged " + newValue + " " + oldValue); }
    @Override public void onExit() { record("onExit"); }
    @Override public void postFork(int workerId) { record("postFork " + workerId); }
    @Override public void postWorkerInit(int workerId) { record("postWorkerInit " + workerId); }
    @Override public void workerInt(int workerId) { record("workerInt " + workerId); }
    @Override public void workerExit(int workerId) { record("workerExit " + workerId); }
    @Override public void preRequest(Map<String, Object> environ) { record("preRequest " + environ.get("PATH_INFO")); }

    @Override
    public void postRequest(Map<String, Object> environ, String status) {
        record("postRequest " + environ.get("PATH_INFO") + " " + status);
    }

    @Override
    public void onReload() {
        record("onReload");
        throw new IllegalStateException("this hook fails on purpose");
    }
}
