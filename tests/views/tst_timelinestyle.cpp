// SPDX-License-Identifier: GPL-3.0-or-later
// The theme's colours, checked by numbers rather than by eye: state colours stay apart for
// people with a colour-vision deficiency, text and thin marks are readable on both themes.
//
// Method. Colour-vision deficiencies are simulated with the matrices of
//   G. M. Machado, M. M. Oliveira, L. A. F. Fernandes, "A Physiologically-based Model for
//   Simulation of Color Vision Deficiency", IEEE TVCG 15(6), 2009 (severity 1.0: dichromacy,
//   the worst case), applied to linear sRGB.
// Differences are CIEDE2000 in CIELAB (D65 white), following
//   G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 Color-Difference Formula: Implementation
//   Notes, Supplementary Test Data, and Mathematical Observations", Color Res. Appl. 30(1),
//   2005 (whose test pairs check the implementation below).
// Readability is WCAG 2.1's contrast ratio: 4.5:1 for text (SC 1.4.3), 3:1 for graphical
// objects such as lines and glyphs (SC 1.4.11).
//
// Thresholds. ΔE00 ≈ 1 is a just-noticeable difference between large patches side by side.
// Timeline bars are small (about 14 px tall), seen apart rather than side by side, on displays
// that are rarely calibrated (a few ΔE00 off is common), so telling two states apart at a glance
// needs a wide margin: every pair of state colours must differ by ΔE00 >= 15 for normal vision
// and each simulated dichromacy. A bar only has to be seen against the row it is drawn on, not
// named, so >= 10 against the background, the row stripe and the selection band. The warning
// colour always comes with a second cue (dark stripes, or a triangle with "!"), so >= 10 from
// every state is enough.

#include <views/timelinestyle.h>

#include <QApplication>
#include <QColor>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>

#include <array>
#include <cmath>
#include <memory>
#include <numbers>

using loopscope::views::kTaskStateCount;
using loopscope::views::TaskState;
using loopscope::views::taskStateName;
using loopscope::views::Theme;

namespace {

struct Lab
{
  double L, a, b;
};

using Matrix = std::array<std::array<double, 3>, 3>;

enum class Vision { Normal, Protanopia, Deuteranopia, Tritanopia };

// Machado et al. 2009, Table 1 at severity 1.0 (linear RGB in, linear RGB out).
Matrix simulation(Vision v)
{
  switch (v) {
    case Vision::Normal:
      return {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    case Vision::Protanopia:
      return {{{0.152286, 1.052583, -0.204868},
               {0.114503, 0.786281, 0.099216},
               {-0.003882, -0.048116, 1.051998}}};
    case Vision::Deuteranopia:
      return {{{0.367322, 0.860646, -0.227968},
               {0.280085, 0.672501, 0.047413},
               {-0.011820, 0.042940, 0.968881}}};
    case Vision::Tritanopia:
      return {{{1.255528, -0.076749, -0.178779},
               {-0.078411, 0.930809, 0.147602},
               {0.004733, 0.691367, 0.303900}}};
  }
  return {};
}

double toLinear(double c)
{
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

std::array<double, 3> linearRgb(const QColor& c)
{
  return {toLinear(c.redF()), toLinear(c.greenF()), toLinear(c.blueF())};
}

Lab labOfLinear(const std::array<double, 3>& rgb)
{
  const auto [r, g, b] = rgb;
  // sRGB (D65) to XYZ, normalised by the D65 white.
  const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
  const auto f = [](double t) {
    constexpr double kEpsilon = 216.0 / 24389.0;
    constexpr double kKappa = 24389.0 / 27.0;
    return t > kEpsilon ? std::cbrt(t) : (kKappa * t + 16) / 116;
  };
  return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

// The colour as seen with `vision`, in CIELAB.
Lab seenAs(const QColor& c, Vision vision)
{
  const Matrix m = simulation(vision);
  const std::array<double, 3> in = linearRgb(c);
  std::array<double, 3> out{};
  for (std::size_t i = 0; i < 3; ++i) {
    out[i] = std::clamp(m[i][0] * in[0] + m[i][1] * in[1] + m[i][2] * in[2], 0.0, 1.0);
  }
  return labOfLinear(out);
}

double deg(double rad)
{
  return rad * 180 / std::numbers::pi;
}

double rad(double deg)
{
  return deg * std::numbers::pi / 180;
}

// CIEDE2000 (kL = kC = kH = 1), as in Sharma et al. 2005.
double deltaE2000(const Lab& p, const Lab& q)
{
  const double c1 = std::hypot(p.a, p.b);
  const double c2 = std::hypot(q.a, q.b);
  const double cMean7 = std::pow((c1 + c2) / 2, 7);
  const double g = 0.5 * (1 - std::sqrt(cMean7 / (cMean7 + std::pow(25.0, 7))));
  const double a1 = (1 + g) * p.a;
  const double a2 = (1 + g) * q.a;
  const double c1p = std::hypot(a1, p.b);
  const double c2p = std::hypot(a2, q.b);
  const auto hue = [](double b, double a) {
    if (a == 0 && b == 0) {
      return 0.0;
    }
    const double h = deg(std::atan2(b, a));
    return h < 0 ? h + 360 : h;
  };
  const double h1 = hue(p.b, a1);
  const double h2 = hue(q.b, a2);
  const double dL = q.L - p.L;
  const double dC = c2p - c1p;
  double dh = 0;
  if (c1p * c2p != 0) {
    dh = h2 - h1;
    if (dh > 180) {
      dh -= 360;
    } else if (dh < -180) {
      dh += 360;
    }
  }
  const double dH = 2 * std::sqrt(c1p * c2p) * std::sin(rad(dh / 2));
  const double lMean = (p.L + q.L) / 2;
  const double cMeanP = (c1p + c2p) / 2;
  double hMean = h1 + h2;
  if (c1p * c2p != 0) {
    if (std::abs(h1 - h2) <= 180) {
      hMean = (h1 + h2) / 2;
    } else {
      hMean = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
    }
  }
  const double t = 1 - 0.17 * std::cos(rad(hMean - 30)) + 0.24 * std::cos(rad(2 * hMean)) +
                   0.32 * std::cos(rad(3 * hMean + 6)) - 0.20 * std::cos(rad(4 * hMean - 63));
  const double dTheta = 30 * std::exp(-std::pow((hMean - 275) / 25, 2));
  const double cMeanP7 = std::pow(cMeanP, 7);
  const double rc = 2 * std::sqrt(cMeanP7 / (cMeanP7 + std::pow(25.0, 7)));
  const double sl = 1 + 0.015 * std::pow(lMean - 50, 2) / std::sqrt(20 + std::pow(lMean - 50, 2));
  const double sc = 1 + 0.045 * cMeanP;
  const double sh = 1 + 0.015 * cMeanP * t;
  const double rt = -std::sin(rad(2 * dTheta)) * rc;
  return std::sqrt(std::pow(dL / sl, 2) + std::pow(dC / sc, 2) + std::pow(dH / sh, 2) +
                   rt * (dC / sc) * (dH / sh));
}

// WCAG 2.1 relative luminance and contrast ratio.
double luminance(const QColor& c)
{
  const auto [r, g, b] = linearRgb(c);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

double contrast(const QColor& a, const QColor& b)
{
  const double la = luminance(a);
  const double lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

const char* visionName(Vision v)
{
  switch (v) {
    case Vision::Normal:
      return "normal vision";
    case Vision::Protanopia:
      return "protanopia";
    case Vision::Deuteranopia:
      return "deuteranopia";
    case Vision::Tritanopia:
      return "tritanopia";
  }
  return "?";
}

constexpr std::array kVisions{Vision::Normal, Vision::Protanopia, Vision::Deuteranopia,
                              Vision::Tritanopia};
constexpr double kMinStateDifference = 15;
constexpr double kMinRowDifference = 10;
constexpr double kMinWarningDifference = 10;
constexpr double kTextContrast = 4.5;
constexpr double kMarkContrast = 3.0;

// The palette a light desktop gives (what `--theme light` sets).
QPalette lightDesktopPalette()
{
  const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
  return fusion->standardPalette();
}

// The backgrounds text and marks are drawn on, by name.
std::vector<std::pair<const char*, QColor>> rowBackgrounds(const Theme& t)
{
  return {{"background", t.background}, {"row stripe", t.rowStripe}, {"selection", t.rowSelected}};
}

}  // namespace

Q_DECLARE_METATYPE(const Theme*)
Q_DECLARE_METATYPE(Vision)

class tst_TimelineStyle : public QObject
{
  Q_OBJECT

private slots:
  void ciede2000MatchesSharmaTestData_data();
  void ciede2000MatchesSharmaTestData();
  void srgbToLabMatchesReferenceValues();
  void simulationKeepsGreysAndMergesRedWithGreen();
  void statePairsStayApartUnderColourBlindness_data();
  void statePairsStayApartUnderColourBlindness();
  void stateColoursStandOutFromTheRows_data();
  void stateColoursStandOutFromTheRows();
  void warningStandsApartFromEveryState_data();
  void warningStandsApartFromEveryState();
  void textIsReadable_data();
  void textIsReadable();
  void marksMeetNonTextContrast_data();
  void marksMeetNonTextContrast();
  void themeFollowsThePalette_data();
  void themeFollowsThePalette();
  void darkPaletteMatchesTheDarkPlot();
};

void tst_TimelineStyle::ciede2000MatchesSharmaTestData_data()
{
  QTest::addColumn<double>("L1");
  QTest::addColumn<double>("a1");
  QTest::addColumn<double>("b1");
  QTest::addColumn<double>("L2");
  QTest::addColumn<double>("a2");
  QTest::addColumn<double>("b2");
  QTest::addColumn<double>("expected");
  // Sharma et al. 2005, Table 1 (pair numbers as there).
  QTest::newRow("pair 1: blue, hue")
      << 50.0 << 2.6772 << -79.7751 << 50.0 << 0.0 << -82.7485 << 2.0425;
  QTest::newRow("pair 7: near neutral") << 50.0 << 0.0 << 0.0 << 50.0 << -1.0 << 2.0 << 2.3669;
  QTest::newRow("pair 13: hue across a = 0")
      << 50.0 << 2.49 << -0.001 << 50.0 << -2.49 << 0.0009 << 7.1792;
  QTest::newRow("pair 17: large") << 50.0 << 2.5 << 0.0 << 73.0 << 25.0 << -18.0 << 27.1492;
  QTest::newRow("pair 18: large") << 50.0 << 2.5 << 0.0 << 61.0 << -5.0 << 29.0 << 22.8977;
  QTest::newRow("pair 19: large") << 50.0 << 2.5 << 0.0 << 56.0 << -27.0 << -3.0 << 31.9030;
  QTest::newRow("pair 20: large") << 50.0 << 2.5 << 0.0 << 58.0 << 24.0 << 15.0 << 19.4535;
  QTest::newRow("pair 25: green") << 60.2574 << -34.0099 << 36.2677 << 60.4626 << -34.1751
                                  << 39.4387 << 1.2644;
}

void tst_TimelineStyle::ciede2000MatchesSharmaTestData()
{
  QFETCH(double, L1);
  QFETCH(double, a1);
  QFETCH(double, b1);
  QFETCH(double, L2);
  QFETCH(double, a2);
  QFETCH(double, b2);
  QFETCH(double, expected);
  const double forward = deltaE2000({L1, a1, b1}, {L2, a2, b2});
  const double backward = deltaE2000({L2, a2, b2}, {L1, a1, b1});
  QVERIFY2(std::abs(forward - expected) < 1e-4, qPrintable(QString::number(forward, 'f', 5)));
  QVERIFY2(std::abs(backward - expected) < 1e-4, qPrintable(QString::number(backward, 'f', 5)));
}

void tst_TimelineStyle::srgbToLabMatchesReferenceValues()
{
  const Lab white = seenAs(Qt::white, Vision::Normal);
  QVERIFY(std::abs(white.L - 100) < 0.01 && std::abs(white.a) < 0.01 && std::abs(white.b) < 0.01);
  const Lab black = seenAs(Qt::black, Vision::Normal);
  QVERIFY(std::abs(black.L) < 0.01);
  // sRGB red is L* 53.24, a* 80.09, b* 67.20.
  const Lab red = seenAs(QColor(255, 0, 0), Vision::Normal);
  QVERIFY2(std::abs(red.L - 53.24) < 0.05 && std::abs(red.a - 80.09) < 0.05 &&
               std::abs(red.b - 67.20) < 0.05,
           qPrintable(QStringLiteral("%1 %2 %3").arg(red.L).arg(red.a).arg(red.b)));
  QCOMPARE(qRound(contrast(Qt::black, Qt::white) * 100), 2100);  // WCAG's maximum, 21:1
}

void tst_TimelineStyle::simulationKeepsGreysAndMergesRedWithGreen()
{
  // Each matrix row sums to 1: greys look the same to everyone.
  for (const Vision v : kVisions) {
    const QColor grey(0x77, 0x77, 0x77);
    QVERIFY2(deltaE2000(seenAs(grey, v), seenAs(grey, Vision::Normal)) < 0.5, visionName(v));
  }
  // A red and a green of the same lightness: far apart to normal vision, close together under
  // protanopia and deuteranopia (the confusion the simulation must reproduce).
  const QColor red(0xC0, 0x50, 0x40);
  const QColor green(0x6A, 0x8A, 0x30);
  const double normal = deltaE2000(seenAs(red, Vision::Normal), seenAs(green, Vision::Normal));
  for (const Vision v : {Vision::Protanopia, Vision::Deuteranopia}) {
    const double seen = deltaE2000(seenAs(red, v), seenAs(green, v));
    QVERIFY2(seen < normal / 2,
             qPrintable(QStringLiteral("%1: %2 vs %3").arg(visionName(v)).arg(seen).arg(normal)));
  }
}

namespace {
void addThemeVisionRows()
{
  QTest::addColumn<const Theme*>("theme");
  QTest::addColumn<Vision>("vision");
  for (const Theme* theme : {&Theme::lightTheme(), &Theme::darkTheme()}) {
    for (const Vision v : kVisions) {
      QTest::addRow("%s theme, %s", theme->dark ? "dark" : "light", visionName(v)) << theme << v;
    }
  }
}
}  // namespace

void tst_TimelineStyle::statePairsStayApartUnderColourBlindness_data()
{
  addThemeVisionRows();
}

void tst_TimelineStyle::statePairsStayApartUnderColourBlindness()
{
  QFETCH(const Theme*, theme);
  QFETCH(Vision, vision);
  QStringList failures;
  for (std::size_t i = 0; i < kTaskStateCount; ++i) {
    for (std::size_t j = i + 1; j < kTaskStateCount; ++j) {
      const double d =
          deltaE2000(seenAs(theme->states[i], vision), seenAs(theme->states[j], vision));
      if (d < kMinStateDifference) {
        failures << QStringLiteral("%1/%2: %3")
                        .arg(QLatin1String(taskStateName(static_cast<TaskState>(i))),
                             QLatin1String(taskStateName(static_cast<TaskState>(j))))
                        .arg(d, 0, 'f', 1);
      }
    }
  }
  QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QStringLiteral(", "))));
}

void tst_TimelineStyle::stateColoursStandOutFromTheRows_data()
{
  addThemeVisionRows();
}

void tst_TimelineStyle::stateColoursStandOutFromTheRows()
{
  QFETCH(const Theme*, theme);
  QFETCH(Vision, vision);
  QStringList failures;
  for (std::size_t i = 0; i < kTaskStateCount; ++i) {
    for (const auto& [name, row] : rowBackgrounds(*theme)) {
      const double d = deltaE2000(seenAs(theme->states[i], vision), seenAs(row, vision));
      if (d < kMinRowDifference) {
        failures << QStringLiteral("%1 on the %2: %3")
                        .arg(QLatin1String(taskStateName(static_cast<TaskState>(i))),
                             QLatin1String(name))
                        .arg(d, 0, 'f', 1);
      }
    }
  }
  QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QStringLiteral(", "))));
}

void tst_TimelineStyle::warningStandsApartFromEveryState_data()
{
  addThemeVisionRows();
}

void tst_TimelineStyle::warningStandsApartFromEveryState()
{
  QFETCH(const Theme*, theme);
  QFETCH(Vision, vision);
  for (std::size_t i = 0; i < kTaskStateCount; ++i) {
    const double d = deltaE2000(seenAs(theme->warning, vision), seenAs(theme->states[i], vision));
    QVERIFY2(d >= kMinWarningDifference,
             qPrintable(QStringLiteral("warning/%1: %2")
                            .arg(QLatin1String(taskStateName(static_cast<TaskState>(i))))
                            .arg(d, 0, 'f', 1)));
  }
}

void tst_TimelineStyle::textIsReadable_data()
{
  QTest::addColumn<QColor>("text");
  QTest::addColumn<QColor>("background");
  for (const Theme* t : {&Theme::lightTheme(), &Theme::darkTheme()}) {
    const char* theme = t->dark ? "dark" : "light";
    for (const auto& [name, row] : rowBackgrounds(*t)) {
      QTest::addRow("%s: label on the %s", theme, name) << t->text << row;
      QTest::addRow("%s: ended task's label on the %s", theme, name) << t->textDim << row;
    }
    QTest::addRow("%s: phase name on band 1", theme) << t->phaseText << t->phaseBands[0];
    QTest::addRow("%s: phase name on band 2", theme) << t->phaseText << t->phaseBands[1];
    QTest::addRow("%s: signal label on its box", theme) << t->signal << t->labelBox;
    QTest::addRow("%s: grace label on its box", theme) << t->grace << t->labelBox;
    QTest::addRow("%s: scenario notice", theme) << t->noticeText << t->noticeBackground;
    // The log and the inspector draw on the desktop palette's base (and alternate) colour.
    const QPalette palette = t->dark ? Theme::darkPalette() : lightDesktopPalette();
    for (const QPalette::ColorRole role : {QPalette::Base, QPalette::AlternateBase}) {
      const char* base = role == QPalette::Base ? "base" : "alternate base";
      const QColor bg = palette.color(role);
      QTest::addRow("%s: log warning on the %s", theme, base) << t->logWarning << bg;
      QTest::addRow("%s: log error on the %s", theme, base) << t->logError << bg;
      QTest::addRow("%s: inspector grey on the %s", theme, base) << t->inspectorDim << bg;
      QTest::addRow("%s: inspector warning on the %s", theme, base) << t->inspectorWarning << bg;
    }
  }
  const QPalette dark = Theme::darkPalette();
  QTest::newRow("dark palette: text on base")
      << dark.color(QPalette::Text) << dark.color(QPalette::Base);
  QTest::newRow("dark palette: window text")
      << dark.color(QPalette::WindowText) << dark.color(QPalette::Window);
  QTest::newRow("dark palette: button text")
      << dark.color(QPalette::ButtonText) << dark.color(QPalette::Button);
  QTest::newRow("dark palette: selected text")
      << dark.color(QPalette::HighlightedText) << dark.color(QPalette::Highlight);
  QTest::newRow("dark palette: links") << dark.color(QPalette::Link) << dark.color(QPalette::Base);
  QTest::newRow("dark palette: tooltips")
      << dark.color(QPalette::ToolTipText) << dark.color(QPalette::ToolTipBase);
}

void tst_TimelineStyle::textIsReadable()
{
  QFETCH(QColor, text);
  QFETCH(QColor, background);
  // The label box is 86 % opaque over a row of nearly its colour: judge it as opaque.
  background.setAlpha(255);
  const double ratio = contrast(text, background);
  QVERIFY2(ratio >= kTextContrast, qPrintable(QStringLiteral("%1 on %2: %3:1")
                                                  .arg(text.name(), background.name())
                                                  .arg(ratio, 0, 'f', 2)));
}

void tst_TimelineStyle::marksMeetNonTextContrast_data()
{
  QTest::addColumn<QColor>("mark");
  QTest::addColumn<QColor>("background");
  for (const Theme* t : {&Theme::lightTheme(), &Theme::darkTheme()}) {
    const char* theme = t->dark ? "dark" : "light";
    const std::vector<std::pair<const char*, QColor>> marks{{"axis", t->axis},
                                                            {"group triangle", t->groupMarker},
                                                            {"await tick", t->awaitTick},
                                                            {"cancel arrow", t->cancel},
                                                            {"timeout", t->timeout},
                                                            {"timeout fired", t->timeoutFired},
                                                            {"signal", t->signal},
                                                            {"now line", t->now},
                                                            {"grace deadline", t->grace},
                                                            {"executor strip", t->executor},
                                                            {"uncancel", t->uncancel}};
    for (const auto& [mark, colour] : marks) {
      for (const auto& [row, bg] : rowBackgrounds(*t)) {
        QTest::addRow("%s: %s on the %s", theme, mark, row) << colour << bg;
      }
    }
  }
}

void tst_TimelineStyle::marksMeetNonTextContrast()
{
  QFETCH(QColor, mark);
  QFETCH(QColor, background);
  const double ratio = contrast(mark, background);
  QVERIFY2(ratio >= kMarkContrast, qPrintable(QStringLiteral("%1 on %2: %3:1")
                                                  .arg(mark.name(), background.name())
                                                  .arg(ratio, 0, 'f', 2)));
}

void tst_TimelineStyle::themeFollowsThePalette_data()
{
  QTest::addColumn<QPalette>("palette");
  QTest::addColumn<bool>("dark");
  QTest::newRow("Fusion's light palette") << lightDesktopPalette() << false;
  QTest::newRow("loopscope's dark palette") << Theme::darkPalette() << true;
  QPalette breezeDark;  // KDE's Breeze Dark window colours
  breezeDark.setColor(QPalette::Window, QColor(0x20, 0x23, 0x26));
  breezeDark.setColor(QPalette::WindowText, QColor(0xFC, 0xFC, 0xFC));
  QTest::newRow("Breeze Dark") << breezeDark << true;
  QPalette highContrast;  // white on black
  highContrast.setColor(QPalette::Window, Qt::black);
  highContrast.setColor(QPalette::WindowText, Qt::white);
  QTest::newRow("high contrast, white on black") << highContrast << true;
  QPalette solarizedLight;
  solarizedLight.setColor(QPalette::Window, QColor(0xFD, 0xF6, 0xE3));
  solarizedLight.setColor(QPalette::WindowText, QColor(0x65, 0x7B, 0x83));
  QTest::newRow("Solarized light") << solarizedLight << false;
}

void tst_TimelineStyle::themeFollowsThePalette()
{
  QFETCH(QPalette, palette);
  QFETCH(bool, dark);
  QCOMPARE(Theme::isDark(palette), dark);
  QCOMPARE(&Theme::forPalette(palette), dark ? &Theme::darkTheme() : &Theme::lightTheme());
  // The application's palette decides stateColor() (the task table, the inspector).
  const QPalette saved = QApplication::palette();
  QApplication::setPalette(palette);
  QCOMPARE(&Theme::current(), dark ? &Theme::darkTheme() : &Theme::lightTheme());
  QCOMPARE(loopscope::views::stateColor(TaskState::Suspended),
           (dark ? Theme::darkTheme() : Theme::lightTheme()).state(TaskState::Suspended));
  QApplication::setPalette(saved);
}

void tst_TimelineStyle::darkPaletteMatchesTheDarkPlot()
{
  // The plot's background is the palette's base: the timeline sits in the window like the log.
  QCOMPARE(Theme::darkPalette().color(QPalette::Base), Theme::darkTheme().background);
  QVERIFY(Theme::lightTheme().state(TaskState::Suspended) !=
          Theme::darkTheme().state(TaskState::Suspended));
}

QTEST_MAIN(tst_TimelineStyle)
#include "tst_timelinestyle.moc"
