# frozen_string_literal: true

# Plinth's Ruby runtime: an HTTP server speaking the Open Runtimes contract, standard library only.
# The entrypoint file is loaded once and defines `main(context)`, called for every request (each in
# its own thread) with `context` (req, res, log, error).
#
# Environment: OPEN_RUNTIMES_SECRET, OPEN_RUNTIMES_ENTRYPOINT (relative to the code directory),
# PLINTH_RUNTIME_CODE (code directory, default the working directory), PLINTH_RUNTIME_SOCKET
# (a Unix socket path to listen on) or PORT (default 3000), PLINTH_RUNTIME_LOGS (directory where
# `<log id>_logs.log` and `<log id>_errors.log` are written when logging is on).

require 'base64'
require 'fileutils'
require 'json'
require 'socket'
require 'uri'

module Plinth
  SECRET = ENV.fetch('OPEN_RUNTIMES_SECRET', '')
  CODE_DIR = File.expand_path(ENV['PLINTH_RUNTIME_CODE'].to_s.empty? ? Dir.pwd : ENV['PLINTH_RUNTIME_CODE'])
  ENTRYPOINT = ENV['OPEN_RUNTIMES_ENTRYPOINT'].to_s.empty? ? 'main.rb' : ENV['OPEN_RUNTIMES_ENTRYPOINT']
  LOGS_DIR = ENV.fetch('PLINTH_RUNTIME_LOGS', '')
  BINARY_TYPES = %w[application/octet-stream application/pdf application/zip image/ audio/ video/ font/].freeze
  INLINE_LOGS_MAX = 8192 # logs up to this size (JSON, bytes) are answered in the x-open-runtimes-logs header
  MISSING_RETURN = 'Return statement missing. return context.res.empty if no response is expected.'
  FORCED_HEADERS = begin
    parsed = JSON.parse(ENV['OPEN_RUNTIMES_HEADERS'] || '{}')
    parsed.is_a?(Hash) ? parsed.to_h { |k, v| [k.to_s.downcase, v.to_s] } : {}
  rescue JSON::ParserError
    {}
  end

  def self.stringify(value)
    case value
    when String then value
    when Exception then value.full_message(highlight: false)
    when Hash, Array then JSON.generate(value)
    else value.to_s
    end
  rescue StandardError
    value.inspect
  end

  # One execution's logs and errors; printed output joins them line by line.
  class Logs
    attr_reader :logs, :errors

    def initialize
      @logs = []
      @errors = []
      @partial = { logs: +'', errors: +'' }
    end

    def take_output(kind, text)
      lines = (@partial[kind] + text).split("\n", -1)
      @partial[kind] = lines.pop || +''
      target = kind == :logs ? @logs : @errors
      lines.each { |line| target << line unless line.strip.empty? }
    end

    def finish_output
      take_output(:logs, "\n")
      take_output(:errors, "\n")
    end
  end

  # $stdout and $stderr during an execution belong to that execution (the thread running it).
  class CapturedStream
    def initialize(original, kind)
      @original = original
      @kind = kind
    end

    def write(*texts)
      logs = Thread.current[:plinth_logs]
      return @original.write(*texts) unless logs

      text = texts.join
      logs.take_output(@kind, text)
      text.bytesize
    end

    def <<(text)
      write(text.to_s)
      self
    end

    def flush
      @original.flush
      self
    end

    def sync = true
    def sync=(_value); end
    def fileno = @original.fileno
    def tty? = false
    alias isatty tty?

    def puts(*args)
      args = [''] if args.empty?
      args.flatten.each { |arg| text = arg.nil? ? '' : arg.to_s; write(text.end_with?("\n") ? text : "#{text}\n") }
      nil
    end

    def print(*args)
      write(args.join)
      nil
    end

    def printf(format, *args)
      write(format % args)
      nil
    end
  end

  class Request
    attr_reader :body_binary, :headers, :method, :scheme, :host, :port, :path, :query_string, :query, :url

    def initialize(method, target, headers, body)
      @headers = headers.reject { |name, _| name.start_with?('x-open-runtimes-') }
      @method = method
      @scheme = (@headers['x-forwarded-proto'] || 'http').split(',').first.strip
      default_port = @scheme == 'https' ? 443 : 80
      host = @headers['host'] || 'localhost'
      if (match = host.match(/:(\d+)\z/))
        @host = host[0...match.begin(0)]
        @port = match[1].to_i
      else
        @host = host
        @port = default_port
      end
      @path, @query_string = (target.empty? ? '/' : target).split('?', 2)
      @query_string ||= ''
      @query = URI.decode_www_form(@query_string).to_h
      suffix = @port == default_port ? '' : ":#{@port}"
      @url = "#{@scheme}://#{@host}#{suffix}#{@path}#{@query_string.empty? ? '' : "?#{@query_string}"}"
      @body_binary = body.b
      @content_type = (@headers['content-type'] || 'text/plain').downcase
    end

    def body_text = @body_binary.dup.force_encoding(Encoding::UTF_8)
    alias body_raw body_text

    def body_json = @body_binary.empty? ? {} : JSON.parse(body_text)

    def body
      return body_json if @content_type.start_with?('application/json')
      return body_binary if BINARY_TYPES.any? { |type| @content_type.start_with?(type) }

      body_text
    end
  end

  class Response
    def text(body, status_code = 200, headers = {})
      { body: body.to_s.b, statusCode: status_code, headers: { 'content-type' => 'text/plain' }.merge(lower(headers)), plinth: true }
    end

    def send(body, status_code = 200, headers = {}) = text(body, status_code, headers)

    def json(object, status_code = 200, headers = {})
      { body: JSON.generate(object).b, statusCode: status_code, headers: { 'content-type' => 'application/json' }.merge(lower(headers)), plinth: true }
    end

    def binary(bytes, status_code = 200, headers = {})
      data = bytes.is_a?(Array) ? bytes.pack('C*') : bytes.to_s.b
      { body: data, statusCode: status_code, headers: { 'content-type' => 'application/octet-stream' }.merge(lower(headers)), plinth: true }
    end

    def empty = { body: ''.b, statusCode: 204, headers: {}, plinth: true }

    def redirect(url, status_code = 301, headers = {})
      { body: ''.b, statusCode: status_code, headers: lower(headers).merge('location' => url.to_s), plinth: true }
    end

    private

    def lower(headers) = (headers || {}).to_h { |name, value| [name.to_s.downcase, value.to_s] }
  end

  class Context
    attr_reader :req, :res

    def initialize(req, logs)
      @req = req
      @res = Response.new
      @logs = logs
    end

    def log(*messages) = @logs.logs << messages.map { |m| Plinth.stringify(m) }.join(' ')
    def error(*messages) = @logs.errors << messages.map { |m| Plinth.stringify(m) }.join(' ')
  end

  # The entrypoint's `main`, loaded once into a module of its own.
  class Loader
    def initialize
      @lock = Mutex.new
    end

    def function
      @lock.synchronize do
        raise @error if @error
        return @function if @function

        begin
          file = File.join(CODE_DIR, ENTRYPOINT)
          raise LoadError, "Entrypoint \"#{ENTRYPOINT}\" does not exist in the deployment." unless File.file?(file)

          # A bundle installed at build time is used as Bundler's standalone setup or its Gemfile.
          setup = File.join(CODE_DIR, 'vendor/bundle/bundler/setup.rb')
          if File.file?(setup)
            require setup
          elsif File.file?(File.join(CODE_DIR, 'Gemfile'))
            ENV['BUNDLE_GEMFILE'] = File.join(CODE_DIR, 'Gemfile')
            require 'bundler/setup'
          end
          $LOAD_PATH.unshift(CODE_DIR) unless $LOAD_PATH.include?(CODE_DIR)
          load file
          raise NameError, "Entrypoint \"#{ENTRYPOINT}\" defines no main(context) method." unless Object.private_method_defined?(:main) || Object.method_defined?(:main)

          @function = ->(context) { TOPLEVEL_BINDING.receiver.send(:main, context) }
        rescue Exception => e # rubocop:disable Lint/RescueException -- a syntax error is a load error too
          @error = e
          raise
        end
      end
    end
  end

  class Server
    def initialize
      @loader = Loader.new
    end

    def execute(method, target, headers, body, logs, timeout)
      begin
        function = @loader.function
      rescue Exception => e # rubocop:disable Lint/RescueException
        logs.errors << Plinth.stringify(e)
        return { body: ''.b, statusCode: 503, headers: {} }
      end
      outcome = {}
      worker = Thread.new do
        Thread.current[:plinth_logs] = logs
        outcome[:result] = function.call(Context.new(Request.new(method, target, headers, body), logs))
      rescue Exception => e # rubocop:disable Lint/RescueException
        outcome[:error] = e
      ensure
        Thread.current[:plinth_logs] = nil
      end
      worker.report_on_exception = false
      unless worker.join(timeout.positive? ? timeout : nil)
        worker.kill
        logs.finish_output
        logs.errors << 'Execution timed out.'
        return { body: ''.b, statusCode: 500, headers: {} }
      end
      logs.finish_output
      if outcome.key?(:error)
        logs.errors << Plinth.stringify(outcome[:error])
        return { body: ''.b, statusCode: 500, headers: {} }
      end
      result = outcome[:result]
      unless result.is_a?(Hash) && result[:plinth] == true
        logs.errors << MISSING_RETURN
        return { body: ''.b, statusCode: 500, headers: {} }
      end
      result
    end

    # Serves requests on one connection until the client closes it (keep-alive).
    def handle(connection)
      loop do
        request_line = connection.gets("\r\n")
        return if request_line.nil?

        method, target = request_line.split(' ', 3)
        headers = {}
        while (line = connection.gets("\r\n")) && line != "\r\n"
          name, value = line.chomp("\r\n").split(':', 2)
          name = name.to_s.strip.downcase
          value = value.to_s.strip
          headers[name] = headers.key?(name) ? "#{headers[name]}, #{value}" : value
        end
        length = headers['content-length'].to_i
        body = length.positive? ? connection.read(length).to_s : +''
        answer(connection, method.to_s, target.to_s, headers, body)
      end
    rescue IOError, SystemCallError
      nil
    ensure
      connection.close unless connection.closed?
    end

    def answer(connection, method, target, headers, body)
      if SECRET.empty? || headers['x-open-runtimes-secret'] != SECRET
        return reply(connection, 500, { 'content-type' => 'text/plain' }, 'Unauthorized. Provide correct "x-open-runtimes-secret" header.'.b)
      end

      logs = Logs.new
      timeout = Float(headers['x-open-runtimes-timeout'] || 0, exception: false) || 0
      result = execute(method, target, headers, body, logs, timeout)
      out = result[:headers].merge(FORCED_HEADERS).reject { |name, _| name.start_with?('x-open-runtimes-') }
      log_id = headers['x-open-runtimes-log-id'].to_s
      out['x-open-runtimes-log-id'] = log_id unless log_id.empty?
      if headers['x-open-runtimes-logging'] != 'disabled'
        # Short logs ride in a header; long ones go to the log files.
        inline = JSON.generate([logs.logs.join("\n").scrub, logs.errors.join("\n").scrub])
        if inline.bytesize <= INLINE_LOGS_MAX
          out['x-open-runtimes-logs'] = Base64.strict_encode64(inline)
        else
          write_logs(log_id, logs)
        end
      end
      reply(connection, result[:statusCode], out, result[:body])
    end

    def write_logs(log_id, logs)
      return if LOGS_DIR.empty? || !log_id.match?(/\A[A-Za-z0-9_-]+\z/)

      FileUtils.mkdir_p(LOGS_DIR)
      File.binwrite(File.join(LOGS_DIR, "#{log_id}_logs.log"), logs.logs.join("\n"))
      File.binwrite(File.join(LOGS_DIR, "#{log_id}_errors.log"), logs.errors.join("\n"))
    end

    def reply(connection, status, headers, body)
      head = +"HTTP/1.1 #{status} #{status < 400 ? 'OK' : 'Error'}\r\n"
      headers.each do |name, value|
        head << "#{name}: #{value.to_s.tr("\r\n", '  ')}\r\n" unless %w[content-length connection].include?(name)
      end
      head << "content-length: #{body.bytesize}\r\n\r\n"
      connection.write(head.b, body)
    end

    def serve
      socket_path = ENV.fetch('PLINTH_RUNTIME_SOCKET', '')
      server = if socket_path.empty?
                 TCPServer.new('0.0.0.0', Integer(ENV['PORT'] || 3000))
               else
                 File.unlink(socket_path) if File.exist?(socket_path)
                 UNIXServer.new(socket_path)
               end
      # The server holds our stdin open; when it goes away (even killed), so do we.
      Thread.new do
        $stdin.read
      ensure
        exit!(0)
      end
      $stdout.write("open-runtimes ready\n")
      $stdout.flush
      begin
        @loader.function
      rescue Exception # rubocop:disable Lint/RescueException
        nil # reported with 503 on each request
      end
      loop do
        connection = server.accept
        Thread.new(connection) { |c| handle(c) }
      end
    end
  end
end

$stdout = Plinth::CapturedStream.new($stdout, :logs)
$stderr = Plinth::CapturedStream.new($stderr, :errors)
Plinth::Server.new.serve
