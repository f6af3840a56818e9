<?php
// Plinth's PHP runtime: an HTTP server speaking the Open Runtimes contract, PHP's standard
// extensions only. The entrypoint file is loaded once and returns the function, a callable given
// `$context` (req, res, log, error) for every request. Requests are served one at a time.
//
// Environment: OPEN_RUNTIMES_SECRET, OPEN_RUNTIMES_ENTRYPOINT (relative to the code directory),
// PLINTH_RUNTIME_CODE (code directory, default the working directory), PLINTH_RUNTIME_SOCKET
// (a Unix socket path to listen on) or PORT (default 3000), PLINTH_RUNTIME_LOGS (directory where
// `<log id>_logs.log` and `<log id>_errors.log` are written when logging is on).

declare(strict_types=1);

const INLINE_LOGS_MAX = 8192; // logs up to this size (JSON, bytes) are answered in the x-open-runtimes-logs header
const BINARY_TYPES = ['application/octet-stream', 'application/pdf', 'application/zip', 'image/', 'audio/', 'video/', 'font/'];
const MISSING_RETURN = 'Return statement missing. return $context->res->empty() if no response is expected.';

final class ExecutionTimedOut extends \Error
{
}

final class PlinthLogs
{
    /** @var string[] */
    public array $logs = [];
    /** @var string[] */
    public array $errors = [];
    private string $partial = '';

    /** Echoed output arrives in pieces: it becomes log lines once their newline comes. */
    public function takeOutput(string $text): void
    {
        $lines = explode("\n", $this->partial . $text);
        $this->partial = (string) array_pop($lines);
        foreach ($lines as $line) {
            if (trim($line) !== '') {
                $this->logs[] = $line;
            }
        }
    }

    public function finishOutput(): void
    {
        $this->takeOutput("\n");
    }
}

function plinth_stringify(mixed $value): string
{
    if (is_string($value)) {
        return $value;
    }
    if ($value instanceof \Throwable) {
        return (string) $value;
    }
    if (is_array($value) || is_object($value)) {
        $json = json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        return $json === false ? print_r($value, true) : $json;
    }
    return var_export($value, true);
}

final class PlinthRequest
{
    public string $bodyBinary;
    public string $bodyText;
    public string $bodyRaw;
    /** @var array<string, string> */
    public array $headers;
    public string $method;
    public string $scheme;
    public string $host;
    public int $port;
    public string $path;
    public string $queryString;
    /** @var array<string, string> */
    public array $query = [];
    public string $url;
    public mixed $body;

    /** @param array<string, string> $headers */
    public function __construct(string $method, string $target, array $headers, string $body)
    {
        $this->headers = array_filter($headers, fn ($name) => !str_starts_with($name, 'x-open-runtimes-'), ARRAY_FILTER_USE_KEY);
        $this->method = $method;
        $this->scheme = trim(explode(',', $this->headers['x-forwarded-proto'] ?? 'http')[0]);
        $defaultPort = $this->scheme === 'https' ? 443 : 80;
        $host = $this->headers['host'] ?? 'localhost';
        if (preg_match('/:(\d+)$/', $host, $match, PREG_OFFSET_CAPTURE) === 1) {
            $this->host = substr($host, 0, $match[0][1]);
            $this->port = (int) $match[1][0];
        } else {
            $this->host = $host;
            $this->port = $defaultPort;
        }
        $parts = explode('?', $target === '' ? '/' : $target, 2);
        $this->path = $parts[0];
        $this->queryString = $parts[1] ?? '';
        foreach ($this->queryString === '' ? [] : explode('&', $this->queryString) as $pair) {
            [$name, $value] = array_pad(explode('=', $pair, 2), 2, '');
            $this->query[urldecode($name)] = urldecode($value);
        }
        $suffix = $this->port === $defaultPort ? '' : ':' . $this->port;
        $this->url = $this->scheme . '://' . $this->host . $suffix . $this->path . ($this->queryString === '' ? '' : '?' . $this->queryString);
        $this->bodyBinary = $body;
        $this->bodyText = $body;
        $this->bodyRaw = $body;
        $type = strtolower($this->headers['content-type'] ?? 'text/plain');
        if (str_starts_with($type, 'application/json')) {
            $this->body = $this->bodyJson;
        } else {
            $this->body = $body;
        }
    }

    public function __get(string $name): mixed
    {
        if ($name === 'bodyJson') {
            return $this->bodyBinary === '' ? [] : json_decode($this->bodyBinary, true, 512, JSON_THROW_ON_ERROR);
        }
        throw new \Error("Undefined property: PlinthRequest::\$$name");
    }
}

final class PlinthResponse
{
    /** @param array<string, mixed> $headers */
    private static function lower(array $headers): array
    {
        $lowered = [];
        foreach ($headers as $name => $value) {
            $lowered[strtolower((string) $name)] = (string) $value;
        }
        return $lowered;
    }

    /** @param array<string, mixed> $headers */
    public function text(mixed $body, int $statusCode = 200, array $headers = []): array
    {
        return ['body' => (string) ($body ?? ''), 'statusCode' => $statusCode, 'headers' => ['content-type' => 'text/plain'] + self::lower($headers) , 'plinth' => true];
    }

    /** @param array<string, mixed> $headers */
    public function send(mixed $body, int $statusCode = 200, array $headers = []): array
    {
        return $this->text($body, $statusCode, $headers);
    }

    /** @param array<string, mixed> $headers */
    public function json(mixed $data, int $statusCode = 200, array $headers = []): array
    {
        $body = json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
        return ['body' => $body, 'statusCode' => $statusCode, 'headers' => array_merge(['content-type' => 'application/json'], self::lower($headers)), 'plinth' => true];
    }

    /** @param array<string, mixed> $headers */
    public function binary(string $bytes, int $statusCode = 200, array $headers = []): array
    {
        return ['body' => $bytes, 'statusCode' => $statusCode, 'headers' => array_merge(['content-type' => 'application/octet-stream'], self::lower($headers)), 'plinth' => true];
    }

    public function empty(): array
    {
        return ['body' => '', 'statusCode' => 204, 'headers' => [], 'plinth' => true];
    }

    /** @param array<string, mixed> $headers */
    public function redirect(string $url, int $statusCode = 301, array $headers = []): array
    {
        return ['body' => '', 'statusCode' => $statusCode, 'headers' => array_merge(self::lower($headers), ['location' => $url]), 'plinth' => true];
    }
}

final class PlinthContext
{
    public PlinthResponse $res;

    public function __construct(public PlinthRequest $req, private PlinthLogs $output)
    {
        $this->res = new PlinthResponse();
    }

    public function log(mixed ...$messages): void
    {
        $this->output->logs[] = implode(' ', array_map('plinth_stringify', $messages));
    }

    public function error(mixed ...$messages): void
    {
        $this->output->errors[] = implode(' ', array_map('plinth_stringify', $messages));
    }
}

final class PlinthServer
{
    private string $secret;
    private string $codeDir;
    private string $entrypoint;
    private string $logsDir;
    /** @var array<string, string> */
    private array $forcedHeaders = [];
    /** @var callable|null */
    private $function = null;
    private ?\Throwable $loadError = null;

    public function __construct()
    {
        $this->secret = (string) getenv('OPEN_RUNTIMES_SECRET');
        $this->codeDir = rtrim((string) (getenv('PLINTH_RUNTIME_CODE') ?: getcwd()), '/');
        $this->entrypoint = (string) (getenv('OPEN_RUNTIMES_ENTRYPOINT') ?: 'index.php');
        $this->logsDir = (string) getenv('PLINTH_RUNTIME_LOGS');
        $forced = json_decode((string) (getenv('OPEN_RUNTIMES_HEADERS') ?: '{}'), true);
        if (is_array($forced)) {
            foreach ($forced as $name => $value) {
                $this->forcedHeaders[strtolower((string) $name)] = (string) $value;
            }
        }
    }

    /** The entrypoint, required once: it returns the function (Composer's autoloader first, when the build made one). */
    private function load(): callable
    {
        if ($this->function !== null) {
            return $this->function;
        }
        if ($this->loadError !== null) {
            throw $this->loadError;
        }
        try {
            $file = $this->codeDir . '/' . $this->entrypoint;
            if (!is_file($file)) {
                throw new \RuntimeException("Entrypoint \"{$this->entrypoint}\" does not exist in the deployment.");
            }
            $autoload = $this->codeDir . '/vendor/autoload.php';
            if (is_file($autoload)) {
                require_once $autoload;
            }
            $loaded = (static fn () => require $file)();
            if (!is_callable($loaded)) {
                throw new \RuntimeException("Entrypoint \"{$this->entrypoint}\" returns no function.");
            }
            return $this->function = $loaded;
        } catch (\Throwable $error) {
            $this->loadError = $error;
            throw $error;
        }
    }

    /** @param array<string, string> $headers */
    private function execute(string $method, string $target, array $headers, string $body, PlinthLogs $output, float $timeout): array
    {
        try {
            $function = $this->load();
        } catch (\Throwable $error) {
            $output->errors[] = plinth_stringify($error);
            return ['body' => '', 'statusCode' => 503, 'headers' => []];
        }
        $context = new PlinthContext(new PlinthRequest($method, $target, $headers, $body), $output);
        // Echoed output is the execution's log; error_log() goes to a file read back as its errors.
        $errorFile = tempnam(sys_get_temp_dir(), 'plinth-stderr-');
        $previousErrorLog = ini_set('error_log', $errorFile);
        ob_start(function (string $chunk) use ($output): string {
            $output->takeOutput($chunk);
            return '';
        }, 1);
        if ($timeout > 0) {
            pcntl_signal(SIGALRM, static function (): void {
                throw new ExecutionTimedOut('Execution timed out.');
            });
            pcntl_alarm((int) ceil($timeout));
        }
        try {
            $result = $function($context);
        } catch (ExecutionTimedOut) {
            $output->errors[] = 'Execution timed out.';
            $result = null;
            $timedOut = true;
        } catch (\Throwable $error) {
            $output->errors[] = plinth_stringify($error);
            $result = null;
            $failed = true;
        } finally {
            pcntl_alarm(0);
            ob_end_clean();
            $output->finishOutput();
            ini_set('error_log', $previousErrorLog === false ? '' : $previousErrorLog);
            foreach (explode("\n", (string) @file_get_contents($errorFile)) as $line) {
                // error_log() stamps each message with the time: the message alone is the function's.
                $line = preg_replace('/^\[[^\]]*\] /', '', $line);
                if (trim($line) !== '') {
                    $output->errors[] = $line;
                }
            }
            @unlink($errorFile);
        }
        if (isset($timedOut) || isset($failed)) {
            return ['body' => '', 'statusCode' => 500, 'headers' => []];
        }
        if (!is_array($result) || ($result['plinth'] ?? false) !== true) {
            $output->errors[] = MISSING_RETURN;
            return ['body' => '', 'statusCode' => 500, 'headers' => []];
        }
        return $result;
    }

    /** Reads one request from the connection and answers it; the connection is then closed. */
    public function handle($connection): void
    {
        $head = '';
        while (!str_contains($head, "\r\n\r\n")) {
            $chunk = fread($connection, 8192);
            if ($chunk === false || $chunk === '') {
                return;
            }
            $head .= $chunk;
        }
        [$head, $body] = explode("\r\n\r\n", $head, 2);
        $lines = explode("\r\n", $head);
        [$method, $target] = array_pad(explode(' ', (string) array_shift($lines), 3), 2, '/');
        $headers = [];
        foreach ($lines as $line) {
            [$name, $value] = array_pad(explode(':', $line, 2), 2, '');
            $name = strtolower(trim($name));
            $value = trim($value);
            $headers[$name] = isset($headers[$name]) ? $headers[$name] . ', ' . $value : $value;
        }
        $length = (int) ($headers['content-length'] ?? 0);
        while (strlen($body) < $length) {
            $chunk = fread($connection, $length - strlen($body));
            if ($chunk === false || $chunk === '') {
                return;
            }
            $body .= $chunk;
        }
        if ($this->secret === '' || ($headers['x-open-runtimes-secret'] ?? '') !== $this->secret) {
            $this->reply($connection, 500, ['content-type' => 'text/plain'], 'Unauthorized. Provide correct "x-open-runtimes-secret" header.');
            return;
        }
        $output = new PlinthLogs();
        $result = $this->execute($method, $target, $headers, $body, $output, (float) ($headers['x-open-runtimes-timeout'] ?? 0));
        $answer = [];
        foreach (array_merge($result['headers'], $this->forcedHeaders) as $name => $value) {
            if (!str_starts_with($name, 'x-open-runtimes-')) {
                $answer[$name] = $value;
            }
        }
        $logId = $headers['x-open-runtimes-log-id'] ?? '';
        if ($logId !== '') {
            $answer['x-open-runtimes-log-id'] = $logId;
        }
        if (($headers['x-open-runtimes-logging'] ?? '') !== 'disabled') {
            // Short logs ride in a header; long ones go to the log files.
            $inline = json_encode([implode("\n", $output->logs), implode("\n", $output->errors)], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
            if (strlen($inline) <= INLINE_LOGS_MAX) {
                $answer['x-open-runtimes-logs'] = base64_encode($inline);
            } else {
                $this->writeLogs($logId, $output);
            }
        }
        $this->reply($connection, $result['statusCode'], $answer, $result['body']);
    }

    private function writeLogs(string $logId, PlinthLogs $output): void
    {
        if ($this->logsDir === '' || preg_match('/^[A-Za-z0-9_-]+$/', $logId) !== 1) {
            return;
        }
        @mkdir($this->logsDir, 0777, true);
        file_put_contents("{$this->logsDir}/{$logId}_logs.log", implode("\n", $output->logs));
        file_put_contents("{$this->logsDir}/{$logId}_errors.log", implode("\n", $output->errors));
    }

    /** @param array<string, string> $headers */
    private function reply($connection, int $status, array $headers, string $body): void
    {
        $text = "HTTP/1.1 $status " . ($status < 400 ? 'OK' : 'Error') . "\r\n";
        foreach ($headers as $name => $value) {
            if ($name !== 'content-length' && $name !== 'connection') {
                $text .= $name . ': ' . str_replace(["\r", "\n"], ' ', $value) . "\r\n";
            }
        }
        $text .= 'content-length: ' . strlen($body) . "\r\nconnection: close\r\n\r\n" . $body;
        for ($written = 0; $written < strlen($text);) {
            $sent = @fwrite($connection, substr($text, $written));
            if ($sent === false || $sent === 0) {
                return;
            }
            $written += $sent;
        }
    }

    public function serve(): void
    {
        $socketPath = getenv('PLINTH_RUNTIME_SOCKET');
        if ($socketPath) {
            @unlink($socketPath);
            $server = stream_socket_server('unix://' . $socketPath, $code, $message);
        } else {
            $server = stream_socket_server('tcp://0.0.0.0:' . (getenv('PORT') ?: '3000'), $code, $message);
        }
        if ($server === false) {
            fwrite(STDERR, "cannot listen: $message\n");
            exit(1);
        }
        fwrite(STDOUT, "open-runtimes ready\n");
        try {
            $this->load();
        } catch (\Throwable) {
            // reported with 503 on each request
        }
        $stdin = fopen('php://stdin', 'r');
        while (true) {
            $read = [$server, $stdin];
            $write = $except = null;
            if (@stream_select($read, $write, $except, null) === false) {
                continue; // a signal interrupted the wait
            }
            // The server holds our stdin open; when it goes away (even killed), so do we.
            if (in_array($stdin, $read, true) && (fread($stdin, 65536) === '' && feof($stdin))) {
                exit(0);
            }
            if (in_array($server, $read, true)) {
                $connection = @stream_socket_accept($server, 0);
                if ($connection !== false) {
                    $this->handle($connection);
                    fclose($connection);
                }
            }
        }
    }
}

pcntl_async_signals(true);
(new PlinthServer())->serve();
