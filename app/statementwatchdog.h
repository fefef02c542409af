#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace mx {

/**
 * The CLI's last resort for --timeout. The interpreter raises TimeoutError at its next step once
 * a statement passes its limit, but one long LibTorch operation (a huge matmul) has no steps
 * inside: the watchdog is armed for each job and, when the job is still running at the deadline,
 * calls `onExpired` with the message it was armed with — on its own thread, with the watchdog's
 * lock held, so a disarm() racing with it waits (the CLI's callback prints and _exit()s, so the
 * job's thread never goes on). No Qt; one std::thread that sleeps on a condition variable and is
 * joined by the destructor.
 */
class StatementWatchdog {
public:
    using Clock = std::chrono::steady_clock;
    using Expired = std::function<void(const std::string& message)>;

    explicit StatementWatchdog(Expired onExpired);
    ~StatementWatchdog();
    StatementWatchdog(const StatementWatchdog&) = delete;
    StatementWatchdog& operator=(const StatementWatchdog&) = delete;

    /** Starts watching a job: `onExpired(message)` runs if disarm() has not come `after` from now.
     *  Replaces a previous arm(). */
    void arm(Clock::duration after, std::string message);
    /** The job ended in time: nothing fires for it. Waits while `onExpired` runs. */
    void disarm();
    /** How many times `onExpired` has been called (for tests whose callback returns). */
    int expiredCount() const;

private:
    void watch();

    Expired onExpired_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool armed_ = false;
    Clock::time_point deadline_;
    std::string message_;
    int expired_ = 0;
    std::thread thread_;  // last: starts after the members it reads are constructed
};

/** How long past its --timeout a job may go on before the watchdog ends the process. */
constexpr double kWatchdogGraceSeconds = 5;

/** The CLI's `onExpired`: flushes `out` (what earlier statements printed), prints `message` as one
 *  line on `err`, flushes stdio and ends the process at once with _exit(1) — no destructors, no
 *  atexit handlers, nothing that could wait for the stuck thread. */
[[noreturn]] void exitAfterTimeout(std::ostream& out, std::ostream& err, const std::string& message);

/** Python's text for a statement past its limit, as the interpreter words it:
 *  "TimeoutError: the statement ran longer than its time limit of 10 s". */
std::string statementTimeoutError(double seconds);

/** The arm() duration for `seconds` of limit and `graceSeconds` after it. */
StatementWatchdog::Clock::duration watchdogDelay(double seconds, double graceSeconds);

/** Hooks run before and after each top-level statement (StatementSession::setStatementHooks). */
using StatementHookSetter = std::function<void(std::function<void()>, std::function<void()>)>;

/** For --timeout `seconds` (> 0): a watchdog that ends the process (exitAfterTimeout) when a
 *  statement runs kWatchdogGraceSeconds past the limit, armed and disarmed around each statement
 *  through the hooks `setHooks` installs. The hooks must be removed before it is destroyed. */
std::unique_ptr<StatementWatchdog> timeLimitWatchdog(double seconds, std::ostream& out, std::ostream& err,
                                                     const StatementHookSetter& setHooks);

}  // namespace mx
