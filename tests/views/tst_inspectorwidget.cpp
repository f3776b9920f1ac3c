// SPDX-License-Identifier: GPL-3.0-or-later
// InspectorWidget: a hand-written run (main › supervisor › worker-2 › db-query, each awaiting the
// next; worker-2 cancelled and swallowing it, with timeouts; a task failing with an
// ExceptionGroup) and the text the inspector shows for it.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/event.h>
#include <engine/sink.h>
#include <views/inspectorwidget.h>
#include <views/timelinemodel.h>

#include <QSignalSpy>
#include <QString>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFragment>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

using loopscope::engine::AwaitKind;
using loopscope::engine::CancelSource;
using loopscope::engine::CancelVia;
using loopscope::engine::DecodedEvent;
using loopscope::engine::EventKind;
using loopscope::engine::TaskOutcome;
using loopscope::engine::TimeoutOutcome;
using loopscope::engine::TraceEvent;
using loopscope::views::ExceptionLine;
using loopscope::views::InspectorWidget;
using loopscope::views::TimelineModel;
using namespace std::chrono_literals;

using Events = std::vector<DecodedEvent>;
using Lines = std::vector<ExceptionLine>;
Q_DECLARE_METATYPE(Lines)

class tst_InspectorWidget : public QObject
{
  Q_OBJECT

private slots:
  void showsEachSection_data();
  void showsEachSection();
  void notDeliveredCancelSaysSo();
  void exceptionGroupIsShownAsATree();
  void oneLineExceptionGroupSaysItsSubExceptionsAreMissing();
  void exceptionTreeParsesIndentationAndTracebackBoxes_data();
  void exceptionTreeParsesIndentationAndTracebackBoxes();
  void subExceptionCountReadsTheGroupHeader_data();
  void subExceptionCountReadsTheGroupHeader();
  void longHistoryCountsTheSpansNotShown();
  void namesAreHtmlEscaped();
  void placeholderWhenNoTaskIsSelected();
  void unknownTaskIsReported();
  void clickingATaskLinkEmitsTaskActivatedOnce();
  void clickingASiteLinkEmitsSiteActivated();
  void otherLinksAreIgnored();
  void refreshSkipsWorkWhenNothingChanged();
  void refreshOfTheSameTaskIsThrottled();
};

namespace {

constexpr std::int64_t kMs = 1'000'000;

DecodedEvent ev(EventKind kind, std::int64_t tNs, std::uint32_t task, std::uint32_t site = 0,
                std::uint64_t detail = 0, std::uint32_t arg = 0, std::uint8_t a8 = 0,
                std::string text = {})
{
  return DecodedEvent{TraceEvent{0, tNs, detail, task, site, arg, kind, a8, 0}, std::move(text)};
}

std::uint8_t u8(auto e)
{
  return static_cast<std::uint8_t>(e);
}

DecodedEvent site(std::uint32_t id, const std::string& file, int line, const std::string& function)
{
  return ev(EventKind::SiteDefined, 0, 0, id, 0, 0, 0,
            file + '\t' + std::to_string(line) + "\t5\t" + function);
}

DecodedEvent created(std::uint32_t task, const std::string& name, std::uint32_t parent,
                     std::uint32_t siteId, std::int64_t tNs)
{
  return ev(EventKind::TaskCreated, tNs, task, siteId, parent, 0, 1, name);
}

// Sites: 1 main.cpp:10 main(), 2 supervisor.cpp:20, 3 worker.cpp:33, 4 db.cpp:44.
// Tasks: main (1) › supervisor (2) › worker-2 (3) › db-query (4), each awaiting the next;
// db-query sleeps until 2.5 s. worker-2: cancelled by supervisor at 1.0 s ("stop"), swallowed
// it at 1.001 s and awaits db-query again; a timeout scope that finished in time and one with a
// 3 s deadline still active. group-owner (5) failed with an ExceptionGroup at 0.9 s.
Events run()
{
  const auto task = u8(AwaitKind::Task);
  return {
      site(1, "/src/app/main.cpp", 10, "main()"),
      site(2, "/src/app/supervisor.cpp", 20, "supervise()"),
      site(3, "/src/app/worker.cpp", 33, "worker(int)"),
      site(4, "/src/app/db.cpp", 44, "query()"),
      created(1, "main", 0, 0, 0),
      ev(EventKind::StepBegin, 1 * kMs, 1),
      created(2, "supervisor", 1, 1, 1 * kMs),
      ev(EventKind::Suspended, 2 * kMs, 1, 1, 2, 0, task),
      ev(EventKind::StepBegin, 3 * kMs, 2),
      created(3, "worker-2", 2, 2, 3 * kMs),
      ev(EventKind::Suspended, 4 * kMs, 2, 2, 3, 0, task),
      ev(EventKind::StepBegin, 5 * kMs, 3),
      ev(EventKind::TimeoutArmed, 5 * kMs, 3, 0, 300 * kMs, 1),
      created(4, "db-query", 3, 3, 5 * kMs),
      created(5, "group-owner", 1, 1, 5 * kMs),
      ev(EventKind::Suspended, 6 * kMs, 3, 3, 4, 0, task),
      ev(EventKind::StepBegin, 7 * kMs, 4),
      ev(EventKind::Suspended, 8 * kMs, 4, 4, 2500 * kMs, 0, u8(AwaitKind::Sleep)),
      ev(EventKind::TimeoutDisarmed, 200 * kMs, 3, 0, 0, 1, u8(TimeoutOutcome::NotExpired)),
      ev(EventKind::TimeoutArmed, 500 * kMs, 3, 0, 3000 * kMs, 2),
      ev(EventKind::StepBegin, 900 * kMs, 5),
      ev(EventKind::TaskDone, 900 * kMs, 5, 0, 0, 0, u8(TaskOutcome::Exception),
         "ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)\n"
         "  ValueError: boom\n"
         "  ExceptionGroup: inner (1 sub-exception)\n"
         "    KeyError: 'x'"),
      ev(EventKind::CancelRequested, 1000 * kMs, 3, 0, 2, 1, u8(CancelSource::User), "stop"),
      ev(EventKind::Ready, 1000 * kMs, 3),
      ev(EventKind::StepBegin, 1001 * kMs, 3),
      ev(EventKind::CancelDelivered, 1001 * kMs, 3, 3, 0, 1, u8(CancelVia::Direct), "stop"),
      ev(EventKind::CancelSwallowed, 1001 * kMs, 3, 3, 0, 0),
      ev(EventKind::Suspended, 1002 * kMs, 3, 3, 4, 0, task),
  };
}

struct Fixture
{
  TimelineModel model;
  InspectorWidget inspector;

  explicit Fixture(const Events& events, std::uint32_t task, std::int64_t now = 1500 * kMs)
  {
    model.append(events);
    inspector.setMinimumRenderInterval(0ms);
    inspector.setModel(&model);
    inspector.refresh(now);
    inspector.setTask(task);
  }
};

// The position of the first anchor with this href in the browser's document, or -1.
int anchorPosition(const QTextDocument& doc, const QString& href)
{
  for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
    for (auto it = block.begin(); !it.atEnd(); ++it) {
      const QTextFragment f = it.fragment();
      if (f.isValid() && f.charFormat().anchorHref() == href) {
        return f.position() + f.length() / 2;
      }
    }
  }
  return -1;
}

}  // namespace

void tst_InspectorWidget::showsEachSection_data()
{
  QTest::addColumn<uint>("task");
  QTest::addColumn<QString>("expected");

  QTest::newRow("header: name and id") << 3u << "worker-2 #3";
  QTest::newRow("header: state") << 3u << "State: ■ suspended";
  QTest::newRow("header: creation time and site")
      << 3u << "Created at 0.003 s at supervisor.cpp:20 in supervise";
  QTest::newRow("header: parent chain, root first")
      << 3u << "Parents: main › supervisor › worker-2";
  QTest::newRow("header: a root task has no parents") << 1u << "Parents: none (a root task)";
  QTest::newRow("header: children") << 1u << "Children (2): supervisor, group-owner";
  QTest::newRow("await chain: what the task awaits, at which site")
      << 3u << "worker-2 — suspended at worker.cpp:33 in worker, awaiting task db-query";
  QTest::newRow("await chain: the awaited task's own await, one level down")
      << 3u << "└─ db-query — suspended at db.cpp:44 in query, awaiting sleep until 2.500 s";
  QTest::newRow("awaited by: the direct awaiter and its site")
      << 3u << "└─ supervisor — awaits worker-2 at supervisor.cpp:20 in supervise";
  QTest::newRow("awaited by: the awaiter's awaiter, one level deeper")
      << 3u << "   └─ main — awaits supervisor at main.cpp:10 in main";
  QTest::newRow("awaited by: nobody") << 1u << "Awaited by: no task";
  QTest::newRow("cancellation: requested by whom, why, with its message")
      << 3u << "Requested at 1.000 s by supervisor — cancel(), message “stop”";
  QTest::newRow("cancellation: delivered at a site")
      << 3u << "Delivered at 1.001 s at worker.cpp:33 in worker";
  QTest::newRow("cancellation: swallowed, in words") << 3u << "SWALLOWED: the task caught";
  QTest::newRow("cancellation: never cancelled") << 4u << "Never cancelled.";
  QTest::newRow("timeouts: the finished scope")
      << 3u << "Scope #1: armed at 0.005 s, deadline 0.300 s (295 ms)";
  QTest::newRow("timeouts: finished in time")
      << 3u << "disarmed at 0.200 s: finished before the deadline";
  QTest::newRow("timeouts: the active scope counts down")
      << 3u
      << "Scope #2: armed at 0.500 s, deadline 3.000 s (2.50 s)\nfires in 1.50 s; still active";
  QTest::newRow("counters: steps and time split")
      << 3u << "Steps: 2 · busy 2.00 ms · ready 3.00 ms · idle 1.49 s";
  QTest::newRow("counters: cancel requests and cancelling()")
      << 3u << "Cancel requests: 1 · cancelling(): 0 · swallowed a cancellation";
  QTest::newRow("history: one row per span, newest last")
      << 3u << "■ suspended\n1.002 s\n498 ms so far";
  QTest::newRow("outcome: a failed task's exception") << 5u << "Raised:\nExceptionGroup: unhandled";
  QTest::newRow("outcome: a live task has none") << 3u << "";
}

void tst_InspectorWidget::showsEachSection()
{
  QFETCH(uint, task);
  QFETCH(QString, expected);

  Fixture f(run(), task);
  const QString text = f.inspector.plainText();
  if (expected.isEmpty()) {
    QVERIFY2(!text.contains(QStringLiteral("Outcome")), qPrintable(text));
    return;
  }
  QVERIFY2(text.contains(expected), qPrintable(text));
}

void tst_InspectorWidget::notDeliveredCancelSaysSo()
{
  Events events = run();
  events.push_back(
      ev(EventKind::CancelRequested, 1100 * kMs, 4, 0, 0, 1, u8(CancelSource::Shutdown)));
  Fixture f(events, 4);
  const QString text = f.inspector.plainText();
  QVERIFY2(text.contains(QStringLiteral("Requested at 1.100 s by code outside any task")),
           qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("asyncio.run's shutdown")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("Not delivered yet")), qPrintable(text));
  QVERIFY2(!text.contains(QStringLiteral("SWALLOWED")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("State: ■ cancelling (cancelling() = 1)")),
           qPrintable(text));
}

void tst_InspectorWidget::exceptionGroupIsShownAsATree()
{
  Fixture f(run(), 5);
  const QStringList lines = f.inspector.plainText().split(QLatin1Char('\n'));
  const auto at = lines.indexOf(
      QStringLiteral("ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)"));
  QVERIFY2(at >= 0, qPrintable(lines.join(QLatin1Char('\n'))));
  QCOMPARE(lines.mid(at + 1, 3),
           (QStringList{QStringLiteral("└─ ValueError: boom"),
                        QStringLiteral("└─ ExceptionGroup: inner (1 sub-exception)"),
                        QStringLiteral("   └─ KeyError: 'x'")}));
  QVERIFY(!f.inspector.plainText().contains(QStringLiteral("not in the event text")));
}

void tst_InspectorWidget::oneLineExceptionGroupSaysItsSubExceptionsAreMissing()
{
  Events events = run();
  // What describe_exception() writes for a group today: str(eg) only.
  events.push_back(created(6, "tg-parent", 1, 1, 950 * kMs));
  events.push_back(ev(EventKind::TaskDone, 960 * kMs, 6, 0, 0, 0, u8(TaskOutcome::Exception),
                      "ExceptionGroup: unhandled errors in a TaskGroup (3 sub-exceptions)"));
  Fixture f(events, 6);
  const QString text = f.inspector.plainText();
  QVERIFY2(text.contains(QStringLiteral("its 3 sub-exceptions are not in the event text")),
           qPrintable(text));
}

void tst_InspectorWidget::exceptionTreeParsesIndentationAndTracebackBoxes_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<Lines>("expected");

  QTest::newRow("one line") << "ValueError: boom" << Lines{{0, "ValueError: boom"}};
  QTest::newRow("indented two columns a level")
      << "ExceptionGroup: eg (2 sub-exceptions)\n  ValueError: 1\n  ExceptionGroup: in (1 "
         "sub-exception)\n    KeyError: 2"
      << Lines{{0, "ExceptionGroup: eg (2 sub-exceptions)"},
               {1, "ValueError: 1"},
               {1, "ExceptionGroup: in (1 sub-exception)"},
               {2, "KeyError: 2"}};
  QTest::newRow("python traceback boxes, separators skipped")
      << "  | ExceptionGroup: eg (2 sub-exceptions)\n"
         "  +-+---------------- 1 ----------------\n"
         "    | ValueError: 1\n"
         "    +---------------- 2 ----------------\n"
         "    | KeyError: 2\n"
         "    +------------------------------------"
      << Lines{{0, "ExceptionGroup: eg (2 sub-exceptions)"},
               {1, "ValueError: 1"},
               {1, "KeyError: 2"}};
  QTest::newRow("tree drawing characters count as indentation")
      << "ExceptionGroup: eg (1 sub-exception)\n└─ ValueError: 1"
      << Lines{{0, "ExceptionGroup: eg (1 sub-exception)"}, {1, "ValueError: 1"}};
  QTest::newRow("blank lines and trailing spaces dropped") << "ValueError: a  \r\n\n"
                                                           << Lines{{0, "ValueError: a"}};
  QTest::newRow("empty") << "" << Lines{};
}

void tst_InspectorWidget::exceptionTreeParsesIndentationAndTracebackBoxes()
{
  QFETCH(QString, text);
  QFETCH(Lines, expected);
  const std::string utf8 = text.toStdString();
  const Lines lines = loopscope::views::exceptionTree(utf8);
  QCOMPARE(lines.size(), expected.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    QCOMPARE(lines[i].depth, expected[i].depth);
    QCOMPARE(QString::fromStdString(lines[i].text), QString::fromStdString(expected[i].text));
  }
}

void tst_InspectorWidget::subExceptionCountReadsTheGroupHeader_data()
{
  QTest::addColumn<QString>("line");
  QTest::addColumn<int>("count");

  QTest::newRow("several") << "ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)"
                           << 2;
  QTest::newRow("one") << "ExceptionGroup: x (1 sub-exception)" << 1;
  QTest::newRow("not a group") << "ValueError: (2 sub-exceptions)" << -1;
  QTest::newRow("no count") << "ExceptionGroup: x" << -1;
  QTest::newRow("garbled count") << "ExceptionGroup: x (two sub-exceptions)" << -1;
}

void tst_InspectorWidget::subExceptionCountReadsTheGroupHeader()
{
  QFETCH(QString, line);
  QFETCH(int, count);
  QCOMPARE(loopscope::views::subExceptionCount(line.toStdString()), count);
}

void tst_InspectorWidget::longHistoryCountsTheSpansNotShown()
{
  Events events{created(1, "ticker", 0, 0, 0)};
  // 20 rounds of run, sleep, wake: 60 spans after the first Ready, 61 in all.
  for (int i = 0; i < 20; ++i) {
    const std::int64_t t = (10 * i + 1) * kMs;
    events.push_back(ev(EventKind::StepBegin, t, 1));
    events.push_back(ev(EventKind::Suspended, t + kMs, 1, 0, t + 5 * kMs, 0, u8(AwaitKind::Sleep)));
    events.push_back(ev(EventKind::Ready, t + 5 * kMs, 1));
  }
  Fixture f(events, 1, 300 * kMs);
  const QString text = f.inspector.plainText();
  QVERIFY2(text.contains(QStringLiteral("11 earlier spans not shown.")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("Steps: 20")), qPrintable(text));
  // The oldest row shown is span 11 (suspended at 0.032 s); span 10 (running at 0.031 s) is not.
  QVERIFY2(text.contains(QStringLiteral("\n0.032 s\n")), qPrintable(text));
  QVERIFY2(!text.contains(QStringLiteral("\n0.031 s\n")), qPrintable(text));
}

void tst_InspectorWidget::namesAreHtmlEscaped()
{
  Events events{site(1, "/src/<gen>.cpp", 3, "Cmp<a&b>::operator<()"),
                created(1, "<b>evil</b> & co", 0, 1, 0)};
  events.push_back(ev(EventKind::StepBegin, kMs, 1));
  events.push_back(ev(EventKind::TaskDone, 2 * kMs, 1, 0, 0, 0, u8(TaskOutcome::Exception),
                      "ValueError: <script>"));
  Fixture f(events, 1);
  const QString text = f.inspector.plainText();
  QVERIFY2(text.contains(QStringLiteral("<b>evil</b> & co #1")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("at <gen>.cpp:3 in Cmp::operator<")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("ValueError: <script>")), qPrintable(text));
}

void tst_InspectorWidget::placeholderWhenNoTaskIsSelected()
{
  Fixture f(run(), 0);
  QCOMPARE(f.inspector.plainText(), QStringLiteral("Select a task in the timeline or the table."));
  f.inspector.setTask(3);
  QVERIFY(f.inspector.plainText().contains(QStringLiteral("worker-2 #3")));
  f.inspector.setTask(0);
  QCOMPARE(f.inspector.plainText(), QStringLiteral("Select a task in the timeline or the table."));
}

void tst_InspectorWidget::unknownTaskIsReported()
{
  Fixture f(run(), 42);
  QCOMPARE(f.inspector.plainText(), QStringLiteral("Task #42 is not part of this run."));
}

void tst_InspectorWidget::clickingATaskLinkEmitsTaskActivatedOnce()
{
  // db-query's parent chain links worker-2 (task 3).
  Fixture f(run(), 4);
  f.inspector.resize(500, 700);
  f.inspector.show();
  QVERIFY(QTest::qWaitForWindowExposed(&f.inspector));
  auto* browser = f.inspector.findChild<QTextBrowser*>();
  QVERIFY(browser != nullptr);
  const int position = anchorPosition(*browser->document(), QStringLiteral("task:3"));
  QVERIFY(position >= 0);
  QTextCursor cursor(browser->document());
  cursor.setPosition(position);
  const QPoint point = browser->cursorRect(cursor).center();

  QSignalSpy spy(&f.inspector, &InspectorWidget::taskActivated);
  QTest::mouseClick(browser->viewport(), Qt::LeftButton, {}, point);
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).value<std::uint32_t>(), 3u);
}

void tst_InspectorWidget::clickingASiteLinkEmitsSiteActivated()
{
  // db-query (task 4) was created at site 4 (db.cpp:44): the location is a link.
  Fixture f(run(), 4);
  f.inspector.resize(500, 700);
  f.inspector.show();
  QVERIFY(QTest::qWaitForWindowExposed(&f.inspector));
  auto* browser = f.inspector.findChild<QTextBrowser*>();
  QVERIFY(browser != nullptr);
  const int position = anchorPosition(*browser->document(), QStringLiteral("site:4"));
  QVERIFY(position >= 0);
  QTextCursor cursor(browser->document());
  cursor.setPosition(position);
  const QPoint point = browser->cursorRect(cursor).center();
  QSignalSpy sites(&f.inspector, &InspectorWidget::siteActivated);
  QSignalSpy tasks(&f.inspector, &InspectorWidget::taskActivated);
  QTest::mouseClick(browser->viewport(), Qt::LeftButton, {}, point);
  QCOMPARE(sites.count(), 1);
  QCOMPARE(sites.at(0).at(0).value<std::uint32_t>(), 4u);
  QCOMPARE(tasks.count(), 0);
  emit browser->anchorClicked(QUrl(QStringLiteral("site:0")));
  emit browser->anchorClicked(QUrl(QStringLiteral("site:x")));
  QCOMPARE(sites.count(), 1);
}

void tst_InspectorWidget::otherLinksAreIgnored()
{
  Fixture f(run(), 4);
  auto* browser = f.inspector.findChild<QTextBrowser*>();
  QVERIFY(browser != nullptr);
  QSignalSpy spy(&f.inspector, &InspectorWidget::taskActivated);
  emit browser->anchorClicked(QUrl(QStringLiteral("https://example.com/")));
  emit browser->anchorClicked(QUrl(QStringLiteral("task:nope")));
  emit browser->anchorClicked(QUrl(QStringLiteral("task:0")));
  QCOMPARE(spy.count(), 0);
  emit browser->anchorClicked(QUrl(QStringLiteral("task:2")));
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).value<std::uint32_t>(), 2u);
}

void tst_InspectorWidget::refreshSkipsWorkWhenNothingChanged()
{
  Fixture f(run(), 3);
  const std::uint64_t renders = f.inspector.renderCount();
  f.inspector.refresh(1500 * kMs);
  QCOMPARE(f.inspector.renderCount(), renders);

  // A live task's open span grows with time.
  f.inspector.refresh(1600 * kMs);
  QCOMPARE(f.inspector.renderCount(), renders + 1);
  QVERIFY(f.inspector.plainText().contains(QStringLiteral("598 ms so far")));

  // An ended task shows nothing that depends on time.
  f.inspector.setTask(5);
  const std::uint64_t ended = f.inspector.renderCount();
  f.inspector.refresh(1700 * kMs);
  QCOMPARE(f.inspector.renderCount(), ended);

  // New events: rendered again.
  f.model.append(Events{ev(EventKind::Print, 1700 * kMs, 1, 0, 0, 0, 0, "hi")});
  f.inspector.refresh(1700 * kMs);
  QCOMPARE(f.inspector.renderCount(), ended + 1);
}

void tst_InspectorWidget::refreshOfTheSameTaskIsThrottled()
{
  Fixture f(run(), 3);
  f.inspector.setMinimumRenderInterval(1h);
  const std::uint64_t renders = f.inspector.renderCount();
  f.model.append(Events{ev(EventKind::StepBegin, 1600 * kMs, 3)});
  f.inspector.refresh(1600 * kMs);
  QCOMPARE(f.inspector.renderCount(), renders);
  QVERIFY(f.inspector.plainText().contains(QStringLiteral("State: ■ suspended")));
  // Choosing a task always shows it at once.
  f.inspector.setTask(3);
  QCOMPARE(f.inspector.renderCount(), renders + 1);
  QVERIFY(f.inspector.plainText().contains(QStringLiteral("State: ■ running")));
}

QTEST_MAIN(tst_InspectorWidget)
#include "tst_inspectorwidget.moc"
