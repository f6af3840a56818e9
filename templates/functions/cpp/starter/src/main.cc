// A first function: answers /ping with text and anything else with a small JSON greeting.
// context.req holds the request; context.log and context.error go to the execution's logs.
namespace runtime {

class Handler {
 public:
  static RuntimeOutput main(RuntimeContext& context) {
    const RuntimeRequest& req = context.req;
    if (req.path == "/ping") return context.res.text("Pong");
    context.log("Called with " + req.method + " " + req.path);
    Json::Value answer;
    answer["greeting"] = "Hello from your starter function";
    answer["path"] = req.path;
    return context.res.json(answer);
  }
};

}  // namespace runtime
