// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <views/timelinemodel.h>

#include <QColor>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QPalette>

#include <array>
#include <cstddef>

namespace loopscope::views {

inline constexpr std::size_t kTaskStateCount = static_cast<std::size_t>(TaskState::Count_);

// The colours of the views, in a light and a dark variant; the palette of the widget (or of the
// application) picks one. Qt 6.4 has no QStyleHints::colorScheme, so "dark" means what the
// palette shows: text lighter than the window it is drawn on.
//
// The state colours start from the Okabe-Ito palette and were tuned so that every pair stays
// apart under simulated protanopia, deuteranopia and tritanopia, and every colour stands out
// from the rows it is drawn on (tests/views/tst_timelinestyle.cpp checks the numbers and says
// why those thresholds). Text meets WCAG's 4.5:1 and thin marks 3:1 against the backgrounds.
struct Theme
{
  bool dark = false;
  std::array<QColor, kTaskStateCount> states;  // by TaskState

  // The plot and its rows.
  QColor background;
  QColor rowStripe;
  QColor rowSelected;
  QColor text;     // row labels, legend, axis labels
  QColor textDim;  // labels of tasks that have ended
  QColor axis;     // axis lines and ticks
  QColor grid;
  QColor groupMarker;  // the open/closed triangle of a group
  QColor labelBox;     // behind labels drawn over the rows (translucent)

  // Marks. The warning (blocked loop, slow step, swallowed cancellation) is always drawn with
  // dark stripes or as a triangle with a "!", so it is not told apart by colour alone.
  QColor awaitTick;
  QColor warning;
  QColor warningStripe;
  QColor warningOutline;
  QColor cancel;
  QColor timeout;
  QColor timeoutFired;
  QColor signal;
  QColor now;
  QColor grace;
  QColor executor;
  QColor uncancel;
  QColor idle;
  QColor callback;
  std::array<QColor, 2> phaseBands;
  QColor phaseText;
  int taskHueSaturation = 110;  // the loop row's per-task hues (HSV)
  int taskHueValue = 205;

  // Other views: the log's warning and error rows, the inspector, the scenario notice.
  QColor logWarning;
  QColor logError;
  QColor inspectorDim;
  QColor inspectorWarning;
  QColor noticeBackground;
  QColor noticeText;

  [[nodiscard]] QColor state(TaskState s) const
  {
    const auto i = static_cast<std::size_t>(s);
    return i < states.size() ? states[i] : text;
  }

  [[nodiscard]] static const Theme& lightTheme()
  {
    static const Theme t = [] {
      Theme l;
      l.dark = false;
      l.states = {
          QColor(0x00, 0x9E, 0x73),  // Running: bluish green
          QColor(0xE6, 0x9F, 0x00),  // Ready: amber
          QColor(0xA3, 0xB8, 0xCE),  // Suspended: light grey-blue
          QColor(0xC8, 0x50, 0x00),  // Cancelling: vermillion (orange-red), striped
          QColor(0x5E, 0x5E, 0x5E),  // Done: dark grey
          QColor(0x8C, 0x00, 0x20),  // Failed: deep red, darker than cancelling
          QColor(0x7B, 0x32, 0x94),  // Cancelled: purple
      };
      l.background = QColor(0xFF, 0xFF, 0xFF);
      l.rowStripe = QColor(0xF5, 0xF6, 0xF8);
      l.rowSelected = QColor(0xDD, 0xE8, 0xF8);
      l.text = QColor(0x19, 0x19, 0x1F);
      l.textDim = QColor(0x5F, 0x5F, 0x69);
      l.axis = QColor(0x3C, 0x3C, 0x46);
      l.grid = QColor(0xDC, 0xDC, 0xE1);
      l.groupMarker = QColor(0x5A, 0x5A, 0x64);
      l.labelBox = QColor(0xFF, 0xFF, 0xFF, 220);
      l.awaitTick = QColor(0x3C, 0x3C, 0x46);
      l.warning = QColor(0xF0, 0xE4, 0x42);  // Okabe-Ito yellow: lighter than ready's amber
      l.warningStripe = QColor(0x46, 0x37, 0x00);
      l.warningOutline = QColor(0x3C, 0x2D, 0x00);
      l.cancel = QColor(0xC0, 0x26, 0xA0);
      l.timeout = QColor(0x19, 0x71, 0xC2);
      l.timeoutFired = QColor(0xC9, 0x2A, 0x2A);
      l.signal = QColor(0x96, 0x14, 0x14);
      l.now = QColor(0x1E, 0x64, 0xDC);
      l.grace = QColor(0xC9, 0x2A, 0x2A);
      l.executor = QColor(0x0A, 0x8A, 0x64);
      l.uncancel = QColor(0x2B, 0x8A, 0x3E);
      l.idle = QColor(0xBE, 0xBE, 0xC6);
      l.callback = QColor(0x6C, 0x7A, 0x89);
      l.phaseBands = {QColor(0xFF, 0xF3, 0xE0), QColor(0xFD, 0xE7, 0xE9)};
      l.phaseText = QColor(0x78, 0x50, 0x28);
      l.logWarning = QColor(0xA6, 0x56, 0x00);
      l.logError = QColor(0xC0, 0x1C, 0x28);
      l.inspectorDim = QColor(0x6A, 0x6A, 0x75);
      l.inspectorWarning = QColor(0xB3, 0x47, 0x00);
      l.noticeBackground = QColor(0xFF, 0xF4, 0xD6);
      l.noticeText = QColor(0x4A, 0x38, 0x00);
      return l;
    }();
    return t;
  }

  [[nodiscard]] static const Theme& darkTheme()
  {
    static const Theme t = [] {
      Theme d;
      d.dark = true;
      d.states = {
          QColor(0x00, 0x9E, 0x73),  // Running: bluish green
          QColor(0xE4, 0xAA, 0x00),  // Ready: amber
          QColor(0x52, 0x65, 0x7A),  // Suspended: dim slate, quiet on a dark row
          QColor(0xC8, 0x64, 0x1A),  // Cancelling: orange, striped
          QColor(0xD6, 0xD6, 0xD6),  // Done: light grey
          QColor(0x99, 0x05, 0x20),  // Failed: deep red, darker than cancelling
          QColor(0xBD, 0x90, 0xE6),  // Cancelled: lilac
      };
      d.background = QColor(0x1E, 0x1F, 0x22);
      d.rowStripe = QColor(0x26, 0x28, 0x2C);
      d.rowSelected = QColor(0x1F, 0x3A, 0x5F);
      d.text = QColor(0xE6, 0xE6, 0xEB);
      d.textDim = QColor(0xAA, 0xAA, 0xB4);
      d.axis = QColor(0xB4, 0xB4, 0xBE);
      d.grid = QColor(0x3A, 0x3C, 0x42);
      d.groupMarker = QColor(0xAA, 0xAA, 0xB4);
      d.labelBox = QColor(0x1E, 0x1F, 0x22, 220);
      d.awaitTick = QColor(0xD2, 0xD2, 0xDA);
      d.warning = QColor(0xFF, 0xEF, 0x19);
      d.warningStripe = QColor(0x46, 0x37, 0x00);
      d.warningOutline = QColor(0x3C, 0x2D, 0x00);
      d.cancel = QColor(0xE8, 0x60, 0xD0);
      d.timeout = QColor(0x4D, 0xA3, 0xFF);
      d.timeoutFired = QColor(0xFF, 0x6B, 0x6B);
      d.signal = QColor(0xFF, 0x5C, 0x5C);
      d.now = QColor(0x6A, 0xAE, 0xFF);
      d.grace = QColor(0xFF, 0x6B, 0x6B);
      d.executor = QColor(0x20, 0xC9, 0x97);
      d.uncancel = QColor(0x51, 0xCF, 0x66);
      d.idle = QColor(0x4A, 0x4C, 0x55);
      d.callback = QColor(0x8A, 0x96, 0xA3);
      d.phaseBands = {QColor(0x3A, 0x30, 0x1E), QColor(0x3D, 0x23, 0x28)};
      d.phaseText = QColor(0xE8, 0xB5, 0x7A);
      d.taskHueSaturation = 120;
      d.taskHueValue = 190;
      d.logWarning = QColor(0xFF, 0xB4, 0x54);
      d.logError = QColor(0xFF, 0x7B, 0x72);
      d.inspectorDim = QColor(0xAA, 0xAA, 0xB4);
      d.inspectorWarning = QColor(0xFF, 0x8A, 0x3D);
      d.noticeBackground = QColor(0x3D, 0x33, 0x20);
      d.noticeText = QColor(0xF5, 0xDF, 0xA0);
      return d;
    }();
    return t;
  }

  // Dark when the palette's text is lighter than its window.
  [[nodiscard]] static bool isDark(const QPalette& palette)
  {
    return palette.color(QPalette::WindowText).lightness() >
           palette.color(QPalette::Window).lightness();
  }

  [[nodiscard]] static const Theme& forPalette(const QPalette& palette)
  {
    return isDark(palette) ? darkTheme() : lightTheme();
  }

  // The theme of the application's palette (light without a GUI application, e.g. in a
  // QCoreApplication test).
  [[nodiscard]] static const Theme& current()
  {
    if (qobject_cast<QGuiApplication*>(QCoreApplication::instance()) == nullptr) {
      return lightTheme();
    }
    return forPalette(QGuiApplication::palette());
  }

  // The palette `loopscope --theme dark` sets (with the Fusion style): its base is the dark
  // theme's plot background, so the plot and the other views match.
  [[nodiscard]] static QPalette darkPalette()
  {
    const Theme& d = darkTheme();
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2B, 0x2D, 0x31));
    p.setColor(QPalette::WindowText, d.text);
    p.setColor(QPalette::Base, d.background);
    p.setColor(QPalette::AlternateBase, d.rowStripe);
    p.setColor(QPalette::ToolTipBase, QColor(0x2B, 0x2D, 0x31));
    p.setColor(QPalette::ToolTipText, d.text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8A, 0x8A, 0x94));
    p.setColor(QPalette::Text, d.text);
    p.setColor(QPalette::Button, QColor(0x34, 0x36, 0x3B));
    p.setColor(QPalette::ButtonText, d.text);
    p.setColor(QPalette::BrightText, QColor(0xFF, 0x6B, 0x6B));
    p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4D));
    p.setColor(QPalette::Midlight, QColor(0x3A, 0x3C, 0x42));
    p.setColor(QPalette::Mid, QColor(0x2A, 0x2C, 0x30));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1B));
    p.setColor(QPalette::Shadow, QColor(0x00, 0x00, 0x00));
    p.setColor(QPalette::Highlight, QColor(0x2A, 0x5D, 0xB8));
    p.setColor(QPalette::HighlightedText, QColor(0xFF, 0xFF, 0xFF));
    p.setColor(QPalette::Link, QColor(0x6C, 0xB4, 0xFF));
    p.setColor(QPalette::LinkVisited, QColor(0xB4, 0x8C, 0xFF));
    for (const QPalette::ColorRole role :
         {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
      p.setColor(QPalette::Disabled, role, QColor(0x7A, 0x7A, 0x84));
    }
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x3A, 0x3C, 0x42));
    return p;
  }
};

// The colour of a task state in the application's theme, shared by the timeline bars and the
// task table (widgets with their own palette use Theme::forPalette(palette()).state()).
[[nodiscard]] inline QColor stateColor(TaskState state)
{
  return Theme::current().state(state);
}

}  // namespace loopscope::views
