// SPDX-License-Identifier: GPL-3.0-or-later
// A loopback echo server and its clients, with per-request timeouts.
#include "engine/engine.h"
#include "engine/scenarios.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace loopscope::engine::scenarios::detail {

namespace {

using namespace std::chrono_literals;

struct EchoConfig
{
  int clients = 20;
  int requests = 3;
  int slow_every = 10;
  Duration limit{};
  Duration slow{};
};

struct ClientResult
{
  int replies = 0;
  bool timed_out = false;
};

std::string client_name(int n)
{
  char name[24];  // "client-" and any int
  std::snprintf(name, sizeof name, "client-%02d", n);
  return name;
}

/// One accepted connection: echoes each line back after a little work, or after `slow` for a
/// line starting with "SLOW". Ends when the client closes.
Coro<void> echo_handler(StreamReader reader, StreamWriter writer, Duration slow)
{
  const std::string name = "handler " + writer.peer_address().to_string();
  current_task()->set_name(name);
  try {
    for (;;) {
      const std::string line = co_await reader.readline();
      if (line.empty())
        break;  // EOF: the client closed its side
      if (line.starts_with("SLOW")) {
        say(name + ": a slow request, answering in " + seconds_text(slow));
        co_await sleep(slow);
      } else {
        co_await sleep(50ms);
      }
      writer.write(line);
      co_await writer.drain();
    }
  } catch (const std::exception&) {
    // The client gave up and closed while we were answering: nothing to answer any more.
    say(name + ": " + describe_exception(std::current_exception()));
  }
  writer.close();
}

/// Connects, sends `requests` lines and waits for each echo with wait_for(readline, limit).
/// Request number `slow_request` (0: none) asks for a slow answer.
Coro<ClientResult> echo_client(int n, int requests, int slow_request, Duration limit,
                               std::uint16_t port, Duration start_after)
{
  const std::string name = client_name(n);
  co_await sleep(start_after);
  auto [reader, writer] = co_await open_connection("127.0.0.1", port);
  ClientResult result;
  for (int k = 1; k <= requests; ++k) {
    const std::string request = name + " request " + std::to_string(k);
    writer.write((k == slow_request ? "SLOW " : "") + request + "\n");
    co_await writer.drain();
    try {
      const std::string reply = co_await wait_for(reader.readline(), limit);
      ++result.replies;
      say(name + ": echo of request " + std::to_string(k));
    } catch (const TimeoutError&) {
      say(name + ": request " + std::to_string(k) + " timed out after " + seconds_text(limit) +
          "; closing the connection");
      result.timed_out = true;
      break;
    }
  }
  writer.close();
  try {
    co_await writer.wait_closed();
  } catch (const std::exception&) {
    // Lost rather than closed: it is closed all the same.
  }
  co_return result;
}

Coro<void> echo_main(EchoConfig c)
{
  const Duration slow = c.slow;
  ClientConnected on_client = [slow](StreamReader r, StreamWriter w) {
    return echo_handler(std::move(r), std::move(w), slow);
  };
  Server server = co_await start_server(on_client, "127.0.0.1", 0);
  say("echo server listening on 127.0.0.1:" + std::to_string(server.port()) + "; starting " +
      std::to_string(c.clients) + " clients, " + std::to_string(c.requests) +
      " requests each, timeout " + seconds_text(c.limit) + " per request");

  std::vector<Task<ClientResult>> clients;
  for (int n = 1; n <= c.clients; ++n) {
    const bool slow_client = c.slow_every > 0 && n % c.slow_every == 0;
    const int slow_request = slow_client ? std::min(2, c.requests) : 0;
    clients.push_back(create_task(
        echo_client(n, c.requests, slow_request, c.limit, server.port(), 50ms * (n - 1)),
        client_name(n)));
  }
  const std::vector<Outcome<ClientResult>> outcomes = co_await gather(return_exceptions, clients);
  int replies = 0;
  int timeouts = 0;
  int failed = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].ok()) {
      replies += outcomes[i].value().replies;
      timeouts += outcomes[i].value().timed_out ? 1 : 0;
    } else {
      ++failed;
      say(clients[i].name() + " failed: " + describe_exception(outcomes[i].exception()));
    }
  }
  say(std::to_string(c.clients) + " clients: " + std::to_string(replies) + " replies, " +
      std::to_string(timeouts) + " timed out, " + std::to_string(failed) + " failed");
  server.close();
  co_await server.wait_closed();
  say("server closed at " + now_text());
}

}  // namespace

Scenario echo_server()
{
  Scenario s;
  s.id = "echo-server";
  s.title = "Echo server: clients with per-request timeouts";
  s.description =
      "start_server() listens on a loopback port chosen by the system, and clients connect one "
      "after another (0.05 s apart), each sending a few lines and waiting for every echo with "
      "wait_for(readline(), timeout). Every Nth client asks for one slow answer: its wait times "
      "out and it closes the connection. Watch the IO waits of clients and handlers, the "
      "TimeoutFired events of the slow requests, and the server closing once every connection "
      "is gone. Real sockets: meant for a real clock.";
  s.params = {
      int_param("clients", "Clients", "How many clients connect.", 20, 1, 200),
      int_param("requests", "Requests", "How many lines each client sends.", 3, 1, 10),
      seconds_param("timeout", "Request timeout", "How long a client waits for each echo.", 0.5,
                    0.05, 10),
      int_param("slow_every", "Slow every",
                "Every Nth client's second request is answered slowly (0: none).", 10, 0, 200),
      seconds_param("slow", "Slow answer", "How long the server takes over a slow request.", 1.5,
                    0.05, 20),
  };
  s.main = [params = s.params](const Values& v) {
    const Settings a(params, v);
    return echo_main(EchoConfig{a.count("clients"), a.count("requests"), a.count("slow_every"),
                                a.seconds("timeout"), a.seconds("slow")});
  };
  return s;
}

}  // namespace loopscope::engine::scenarios::detail
