package io.sandboxbroker.testkit.provider;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every answered request, in the order answers went out. */
final class CallLog {
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();

    void record(Call call) {
        calls.add(call);
    }

    List<Call> all() {
        return List.copyOf(calls);
    }

    List<Call> about(String accountUuid) {
        return calls.stream().filter(call -> call.isAbout(accountUuid)).toList();
    }

    void clear() {
        calls.clear();
    }
}
