package io.sandboxbroker.broker.core;

/** Port: posts one event to one webhook; answers null when the receiver took it (2xx), else why not. */
public interface WebhookSender {

    String send(Webhook webhook, Event event);
}
