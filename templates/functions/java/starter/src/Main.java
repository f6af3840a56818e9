// A first function: answers /ping with text and anything else with a small JSON greeting.
// context.getReq() holds the request; context.log and context.error go to the execution's logs.
package io.openruntimes.java.src;

import io.openruntimes.java.RuntimeContext;
import io.openruntimes.java.RuntimeOutput;
import io.openruntimes.java.RuntimeRequest;
import java.util.Map;

public class Main {
    public RuntimeOutput main(RuntimeContext context) throws Exception {
        RuntimeRequest req = context.getReq();
        if (req.getPath().equals("/ping")) {
            return context.getRes().text("Pong");
        }
        context.log("Called with " + req.getMethod() + " " + req.getPath());
        return context.getRes().json(Map.of("greeting", "Hello from your starter function", "path", req.getPath()));
    }
}
