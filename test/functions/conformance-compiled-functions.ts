/**
 * The conformance function (see conformance-functions.ts for the paths and what each answers) in
 * C++ and Rust, compiled with their runtime servers at build.
 */

/** C++ in Appwrite's starter shape: runtime::Handler::main(RuntimeContext&), jsoncpp values, libcurl for HTTP. */
export const CPP_CONFORMANCE = `#include <curl/curl.h>
#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace runtime {

static std::string environmentValue(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

static size_t collect(char* data, size_t size, size_t count, void* into) {
  static_cast<std::string*>(into)->append(data, size * count);
  return size * count;
}

class Handler {
 public:
  static RuntimeOutput main(RuntimeContext& context) {
    const RuntimeRequest& req = context.req;
    context.log("path " + req.path);
    std::cout << "console says {\\"n\\":1}" << std::endl;
    std::cerr << "console complains" << std::endl;
    if (req.path == "/echo") {
      Json::Value answer;
      answer["method"] = req.method;
      answer["path"] = req.path;
      answer["query"] = req.query;
      answer["queryString"] = req.queryString;
      answer["scheme"] = req.scheme;
      answer["host"] = req.host;
      answer["port"] = req.port;
      answer["url"] = req.url;
      answer["bodyText"] = req.bodyText();
      answer["body"] = req.headers.get("content-type", "").asString() == "application/json" ? req.bodyJson() : req.body();
      answer["custom"] = req.headers.get("x-custom", Json::Value());
      answer["trigger"] = req.headers.get("x-appwrite-trigger", Json::Value());
      answer["hasKey"] = !req.headers.get("x-appwrite-key", "").asString().empty();
      bool secretHidden = true;
      for (const auto& name : req.headers.getMemberNames()) secretHidden = secretHidden && name.rfind("x-open-runtimes-", 0) != 0;
      answer["secretHidden"] = secretHidden;
      answer["env"]["id"] = environmentValue("APPWRITE_FUNCTION_ID");
      answer["env"]["project"] = environmentValue("APPWRITE_FUNCTION_PROJECT_ID");
      answer["env"]["deployment"] = environmentValue("APPWRITE_FUNCTION_DEPLOYMENT");
      return context.res.json(answer, 201, {{"X-Echo", "yes"}});
    }
    if (req.path == "/binary") {
      std::vector<std::uint8_t> bytes = req.bodyBinary();
      std::reverse(bytes.begin(), bytes.end());
      return context.res.binary(bytes);
    }
    if (req.path == "/api") {
      std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
      std::string url = environmentValue("APPWRITE_FUNCTION_API_ENDPOINT") + "/functions/" + environmentValue("APPWRITE_FUNCTION_ID");
      std::string project = "x-appwrite-project: " + environmentValue("APPWRITE_FUNCTION_PROJECT_ID");
      std::string key = "x-appwrite-key: " + req.headers["x-appwrite-key"].asString();
      curl_slist* headers = curl_slist_append(curl_slist_append(nullptr, project.c_str()), key.c_str());
      std::string received;
      curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
      curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &received);
      CURLcode result = curl_easy_perform(curl.get());
      curl_slist_free_all(headers);
      if (result != CURLE_OK) throw std::runtime_error(curl_easy_strerror(result));
      long status = 0;
      curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
      Json::Value model;
      std::istringstream stream(received);
      stream >> model;
      Json::Value answer;
      answer["status"] = static_cast<Json::Int>(status);
      answer["name"] = model["name"];
      answer["asked"] = req.bodyJson()["ask"];
      return context.res.json(answer);
    }
    if (req.path == "/read") {
      Json::Value answer;
      DIR* dir = opendir(req.query["dir"].asCString());
      if (!dir) {
        answer["failure"] = errno == ENOENT ? "ENOENT" : "other";
        return context.res.json(answer);
      }
      answer["entries"] = Json::Value(Json::arrayValue);
      while (dirent* entry = readdir(dir)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") answer["entries"].append(name);
      }
      closedir(dir);
      return context.res.json(answer);
    }
    if (req.path == "/redirect") return context.res.redirect("https://example.com/elsewhere", 302);
    if (req.path == "/empty") return context.res.empty();
    if (req.path == "/throw") throw std::runtime_error("thrown on purpose");
    if (req.path == "/none") return {};
    if (req.path == "/sleep") {
      std::this_thread::sleep_for(std::chrono::seconds(10));
      return context.res.text("too late");
    }
    context.error("unknown path " + req.path);
    return context.res.text("Not found", 404);
  }
};

}  // namespace runtime
`;

/** Rust as a library crate with \`pub fn main(context: Context) -> Response\`; HTTP through std's TcpStream, JSON through serde_json. */
export const RUST_CONFORMANCE = `use openruntimes::{Context, Response, ResponseOptions};
use serde_json::{json, Value};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;

/** A GET over plain HTTP/1.0: the status and the body as JSON. */
fn get_json(url: &str, headers: &[(&str, String)]) -> (u16, Value) {
    let rest = url.strip_prefix("http://").expect("an http:// endpoint");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(authority).expect("the API answers");
    let mut request = format!("GET {path} HTTP/1.0\\r\\nhost: {authority}\\r\\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\\r\\n"));
    }
    stream.write_all(format!("{request}\\r\\n").as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\\r\\n\\r\\n").unwrap_or((&answer, ""));
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

pub fn main(context: Context) -> Response {
    let req = &context.req;
    context.log(format!("path {}", req.path));
    println!("console says {}", json!({"n": 1}));
    eprintln!("console complains");
    match req.path.as_str() {
        "/echo" => {
            let body = if req.headers.get("content-type").map(String::as_str) == Some("application/json") { req.body_json().unwrap() } else { req.body() };
            context.res.json(
                json!({
                    "method": req.method,
                    "path": req.path,
                    "query": req.query,
                    "queryString": req.query_string,
                    "scheme": req.scheme,
                    "host": req.host,
                    "port": req.port,
                    "url": req.url,
                    "bodyText": req.body_text(),
                    "body": body,
                    "custom": req.headers.get("x-custom"),
                    "trigger": req.headers.get("x-appwrite-trigger"),
                    "hasKey": req.headers.get("x-appwrite-key").map_or(false, |key| !key.is_empty()),
                    "secretHidden": !req.headers.keys().any(|name| name.starts_with("x-open-runtimes-")),
                    "env": {"id": env("APPWRITE_FUNCTION_ID"), "project": env("APPWRITE_FUNCTION_PROJECT_ID"), "deployment": env("APPWRITE_FUNCTION_DEPLOYMENT")},
                }),
                ResponseOptions { status_code: Some(201), headers: [("X-Echo".to_string(), "yes".to_string())].into() },
            )
        }
        "/binary" => {
            let mut bytes = req.body_binary().to_vec();
            bytes.reverse();
            context.res.binary(bytes, Default::default())
        }
        "/api" => {
            let url = format!("{}/functions/{}", env("APPWRITE_FUNCTION_API_ENDPOINT"), env("APPWRITE_FUNCTION_ID"));
            let key = req.headers.get("x-appwrite-key").cloned().unwrap_or_default();
            let (status, model) = get_json(&url, &[("x-appwrite-project", env("APPWRITE_FUNCTION_PROJECT_ID")), ("x-appwrite-key", key)]);
            let asked = req.body_json().unwrap()["ask"].clone();
            context.res.json(json!({"status": status, "name": model["name"], "asked": asked}), Default::default())
        }
        "/read" => match std::fs::read_dir(req.query.get("dir").cloned().unwrap_or_default()) {
            Ok(entries) => {
                let names: Vec<String> = entries.filter_map(|entry| entry.ok()).map(|entry| entry.file_name().to_string_lossy().into_owned()).collect();
                context.res.json(json!({"entries": names}), Default::default())
            }
            Err(failure) if failure.kind() == ErrorKind::NotFound => context.res.json(json!({"failure": "ENOENT"}), Default::default()),
            Err(failure) => context.res.json(json!({"failure": failure.to_string()}), Default::default()),
        },
        "/redirect" => context.res.redirect("https://example.com/elsewhere", ResponseOptions { status_code: Some(302), ..Default::default() }),
        "/empty" => context.res.empty(),
        "/throw" => panic!("thrown on purpose"),
        "/none" => Response::default(),
        "/sleep" => {
            std::thread::sleep(std::time::Duration::from_secs(10));
            context.res.text("too late", Default::default())
        }
        _ => {
            context.error(format!("unknown path {}", req.path));
            context.res.text("Not found", ResponseOptions { status_code: Some(404), ..Default::default() })
        }
    }
}
`;
