<?php
// A first function: answers `/ping` with text and anything else with a small JSON greeting.
// `$context->req` holds the request; `$context->log()` and `$context->error()` go to the execution's logs.

return function ($context) {
    $req = $context->req;
    if ($req->path === '/ping') {
        return $context->res->text('Pong');
    }
    $context->log('Called with ' . $req->method . ' ' . $req->path);
    return $context->res->json(['greeting' => 'Hello from your starter function', 'path' => $req->path]);
};
