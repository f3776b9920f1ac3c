// SPDX-License-Identifier: GPL-3.0-or-later
// ScenarioPanel: a scenario built by hand (one parameter of each type, not from the catalogue)
// and the form the panel makes of it.

// Engine headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/scenarios.h>
#include <views/scenariopanel.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QString>
#include <QTest>
#include <QTextDocument>

#include <memory>
#include <string>
#include <utility>

using loopscope::engine::scenarios::Param;
using loopscope::engine::scenarios::Scenario;
using loopscope::engine::scenarios::Values;
using loopscope::views::ScenarioPanel;

class tst_ScenarioPanel : public QObject
{
  Q_OBJECT

private slots:
  void showsTitleAndDescription();
  void editorsMatchTheParameters_data();
  void editorsMatchTheParameters();
  void secondsStepByFiveHundredthsWithAUnit();
  void tooltipsReadAsTheParameterSaysThem_data();
  void tooltipsReadAsTheParameterSaysThem();
  void startsAtTheDefaults();
  void editingChangesValuesAndSignalsOnce_data();
  void editingChangesValuesAndSignalsOnce();
  void typingSignalsOnceWhenTheEditIsDone();
  void setValuesRoundTrips();
  void setValuesTakesDefaultsForMissingKeysAndClamps();
  void setValuesWithoutChangeDoesNotSignal();
  void resetButtonRestoresTheDefaults();
  void noScenarioShowsNoEditors();
  void scenarioNeedNotOutliveThePanel();
  void everyCatalogueScenarioShowsItsDefaults();
};

namespace {

Param param(std::string key, std::string label, std::string tooltip, Param::Type type, double value,
            double min, double max)
{
  Param p;
  p.key = std::move(key);
  p.label = std::move(label);
  p.tooltip = std::move(tooltip);
  p.type = type;
  p.value = value;
  p.min = min;
  p.max = max;
  return p;
}

Scenario scenario()
{
  Scenario s;
  s.id = "hand-made";
  s.title = "Hand-made: one parameter of each type";
  s.description =
      "Workers sleep, then the run shuts down. Press Ctrl-C to see the shutdown "
      "panel; a worker that swallows its cancellation holds it up.";
  s.params = {
      param("workers", "Workers", "How many workers <b>run</b> at once", Param::Type::Int, 5, 1,
            20),
      param("grace", "Grace period", "How long shutdown waits & then gives up",
            Param::Type::Seconds, 2.5, 0, 30),
      param("swallow", "Swallow cancel", "One worker catches CancelledError", Param::Type::Bool, 1,
            0, 1),
  };
  return s;
}

Values defaults()
{
  return {{"workers", 5.0}, {"grace", 2.5}, {"swallow", 1.0}};
}

// Values as text for readable failures.
QString str(const Values& values)
{
  QString out;
  for (const auto& [key, value] : values) {
    out +=
        QString::fromStdString(key) + QLatin1Char('=') + QString::number(value) + QLatin1Char(' ');
  }
  return out;
}

struct Fixture
{
  Scenario s = scenario();
  ScenarioPanel panel;
  Fixture() { panel.setScenario(&s); }
};

}  // namespace

void tst_ScenarioPanel::showsTitleAndDescription()
{
  Fixture f;
  bool title = false;
  bool description = false;
  for (const QLabel* label : f.panel.findChildren<QLabel*>()) {
    title |= label->text() == QStringLiteral("Hand-made: one parameter of each type");
    if (label->text() == QString::fromStdString(f.s.description)) {
      description = true;
      QVERIFY(label->wordWrap());
    }
  }
  QVERIFY(title);
  QVERIFY(description);
}

void tst_ScenarioPanel::editorsMatchTheParameters_data()
{
  QTest::addColumn<QString>("key");
  QTest::addColumn<QString>("editor");
  QTest::addColumn<double>("minimum");
  QTest::addColumn<double>("maximum");
  QTest::addColumn<double>("value");

  QTest::newRow("Int: a spin box") << "workers"
                                   << "QSpinBox" << 1.0 << 20.0 << 5.0;
  QTest::newRow("Seconds: a double spin box") << "grace"
                                              << "QDoubleSpinBox" << 0.0 << 30.0 << 2.5;
  QTest::newRow("Bool: a check box") << "swallow"
                                     << "QCheckBox" << 0.0 << 1.0 << 1.0;
}

void tst_ScenarioPanel::editorsMatchTheParameters()
{
  QFETCH(QString, key);
  QFETCH(QString, editor);
  QFETCH(double, minimum);
  QFETCH(double, maximum);
  QFETCH(double, value);

  Fixture f;
  auto* widget = f.panel.findChild<QWidget*>(key);
  QVERIFY(widget != nullptr);
  QCOMPARE(QString::fromLatin1(widget->metaObject()->className()), editor);
  // The check box's range is 0..1 by nature.
  double lowest = 0;
  double highest = 1;
  double current = 0;
  if (const auto* spin = qobject_cast<QSpinBox*>(widget)) {
    lowest = spin->minimum();
    highest = spin->maximum();
    current = spin->value();
  } else if (const auto* dspin = qobject_cast<QDoubleSpinBox*>(widget)) {
    lowest = dspin->minimum();
    highest = dspin->maximum();
    current = dspin->value();
  } else if (const auto* box = qobject_cast<QCheckBox*>(widget)) {
    current = box->isChecked() ? 1 : 0;
  }
  QCOMPARE(lowest, minimum);
  QCOMPARE(highest, maximum);
  QCOMPARE(current, value);
  // Each editor sits in the form under its label.
  bool labelled = false;
  for (const QLabel* label : f.panel.findChildren<QLabel*>()) {
    labelled |= label->buddy() == widget;
  }
  QVERIFY(labelled);
}

void tst_ScenarioPanel::secondsStepByFiveHundredthsWithAUnit()
{
  Fixture f;
  auto* spin = f.panel.findChild<QDoubleSpinBox*>(QStringLiteral("grace"));
  QVERIFY(spin != nullptr);
  QCOMPARE(spin->singleStep(), 0.05);
  QCOMPARE(spin->suffix(), QStringLiteral(" s"));
  QCOMPARE(spin->text(), QStringLiteral("2.50 s"));
}

void tst_ScenarioPanel::tooltipsReadAsTheParameterSaysThem_data()
{
  QTest::addColumn<QString>("key");
  QTest::addColumn<QString>("tooltip");
  QTest::newRow("markup in a tooltip stays literal") << "workers"
                                                     << "How many workers <b>run</b> at once";
  QTest::newRow("ampersand") << "grace"
                             << "How long shutdown waits & then gives up";
  QTest::newRow("check box") << "swallow"
                             << "One worker catches CancelledError";
}

void tst_ScenarioPanel::tooltipsReadAsTheParameterSaysThem()
{
  QFETCH(QString, key);
  QFETCH(QString, tooltip);
  Fixture f;
  auto* widget = f.panel.findChild<QWidget*>(key);
  QVERIFY(widget != nullptr);
  QTextDocument doc;
  doc.setHtml(widget->toolTip());
  QCOMPARE(doc.toPlainText(), tooltip);
  for (const QLabel* label : f.panel.findChildren<QLabel*>()) {
    if (label->buddy() == widget) {
      QCOMPARE(label->toolTip(), widget->toolTip());
    }
  }
}

void tst_ScenarioPanel::startsAtTheDefaults()
{
  Fixture f;
  QCOMPARE(str(f.panel.values()), str(defaults()));
}

void tst_ScenarioPanel::editingChangesValuesAndSignalsOnce_data()
{
  QTest::addColumn<QString>("key");
  QTest::addColumn<int>("keyPress");
  QTest::addColumn<double>("expected");
  QTest::newRow("Int: arrow up adds one") << "workers" << int(Qt::Key_Up) << 6.0;
  QTest::newRow("Seconds: arrow up adds 0.05 s") << "grace" << int(Qt::Key_Up) << 2.55;
  QTest::newRow("Bool: space unchecks") << "swallow" << int(Qt::Key_Space) << 0.0;
}

void tst_ScenarioPanel::editingChangesValuesAndSignalsOnce()
{
  QFETCH(QString, key);
  QFETCH(int, keyPress);
  QFETCH(double, expected);

  Fixture f;
  auto* widget = f.panel.findChild<QWidget*>(key);
  QVERIFY(widget != nullptr);
  QSignalSpy spy(&f.panel, &ScenarioPanel::valuesChanged);
  QTest::keyClick(widget, static_cast<Qt::Key>(keyPress));
  QCOMPARE(spy.count(), 1);
  Values want = defaults();
  want[key.toStdString()] = expected;
  QCOMPARE(str(f.panel.values()), str(want));
}

void tst_ScenarioPanel::typingSignalsOnceWhenTheEditIsDone()
{
  Fixture f;
  auto* spin = f.panel.findChild<QSpinBox*>(QStringLiteral("workers"));
  QVERIFY(spin != nullptr);
  QSignalSpy spy(&f.panel, &ScenarioPanel::valuesChanged);
  spin->selectAll();
  QTest::keyClicks(spin, QStringLiteral("12"));
  QCOMPARE(spy.count(), 0);  // not "1", then "12"
  QTest::keyClick(spin, Qt::Key_Return);
  QCOMPARE(spy.count(), 1);
  QCOMPARE(f.panel.values().at("workers"), 12.0);
}

void tst_ScenarioPanel::setValuesRoundTrips()
{
  Fixture f;
  const Values values{{"workers", 7.0}, {"grace", 0.25}, {"swallow", 0.0}};
  f.panel.setValues(values);
  QCOMPARE(str(f.panel.values()), str(values));
}

void tst_ScenarioPanel::setValuesTakesDefaultsForMissingKeysAndClamps()
{
  Fixture f;
  f.panel.setValues({{"grace", 0.25}, {"swallow", 0.0}});
  f.panel.setValues({{"workers", 99.0}, {"unknown", 3.0}});
  QCOMPARE(str(f.panel.values()), str(Values{{"workers", 20.0}, {"grace", 2.5}, {"swallow", 1.0}}));
}

void tst_ScenarioPanel::setValuesWithoutChangeDoesNotSignal()
{
  Fixture f;
  QSignalSpy spy(&f.panel, &ScenarioPanel::valuesChanged);
  f.panel.setValues(defaults());
  QCOMPARE(spy.count(), 0);
  f.panel.setValues({{"workers", 3.0}, {"grace", 1.0}});
  QCOMPARE(spy.count(), 1);  // one signal for the whole set
}

void tst_ScenarioPanel::resetButtonRestoresTheDefaults()
{
  Fixture f;
  f.panel.setValues({{"workers", 3.0}, {"grace", 1.0}, {"swallow", 0.0}});
  QPushButton* reset = nullptr;
  for (QPushButton* b : f.panel.findChildren<QPushButton*>()) {
    reset = b->text() == QStringLiteral("Reset to defaults") ? b : reset;
  }
  QVERIFY(reset != nullptr);
  QVERIFY(reset->isEnabled());
  QSignalSpy spy(&f.panel, &ScenarioPanel::valuesChanged);
  QTest::mouseClick(reset, Qt::LeftButton);
  QCOMPARE(spy.count(), 1);
  QCOMPARE(str(f.panel.values()), str(defaults()));
}

void tst_ScenarioPanel::noScenarioShowsNoEditors()
{
  Fixture f;
  f.panel.setScenario(nullptr);
  QVERIFY(f.panel.values().empty());
  QVERIFY(f.panel.findChildren<QSpinBox*>().isEmpty());
  QVERIFY(f.panel.findChildren<QCheckBox*>().isEmpty());
  // A new scenario replaces the old form rather than adding to it.
  f.panel.setScenario(&f.s);
  f.panel.setScenario(&f.s);
  QCOMPARE(f.panel.findChildren<QSpinBox*>(QStringLiteral("workers")).size(), 1);
}

void tst_ScenarioPanel::scenarioNeedNotOutliveThePanel()
{
  ScenarioPanel panel;
  {
    const Scenario s = scenario();
    panel.setScenario(&s);
  }
  panel.setValues({{"workers", 9.0}});
  QCOMPARE(panel.values().at("workers"), 9.0);
  panel.resetToDefaults();
  QCOMPARE(str(panel.values()), str(defaults()));
}

void tst_ScenarioPanel::everyCatalogueScenarioShowsItsDefaults()
{
  // The editors must hold each default exactly (no rounding by too few decimals, no clamping).
  const auto& catalog = loopscope::engine::scenarios::catalog();
  QVERIFY(!catalog.empty());
  ScenarioPanel panel;
  for (const Scenario& s : catalog) {
    panel.setScenario(&s);
    for (const Param& p : s.params) {
      QVERIFY2(panel.findChild<QWidget*>(QString::fromStdString(p.key)) != nullptr,
               qPrintable(QString::fromStdString(s.id + ": " + p.key)));
    }
    const Values want = loopscope::engine::scenarios::defaults(s);
    QVERIFY2(panel.values() == want,
             qPrintable(QString::fromStdString(s.id) + QStringLiteral(": ") + str(panel.values()) +
                        QStringLiteral("!= ") + str(want)));
  }
}

QTEST_MAIN(tst_ScenarioPanel)
#include "tst_scenariopanel.moc"
