// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/timelinewidget.h"

#include <QVBoxLayout>

#include <qcustomplot.h>

namespace loopscope::views {

namespace {

constexpr double kInitialTimeSpanSeconds = 10.0;

}  // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
  m_plot->setObjectName(QStringLiteral("timelinePlot"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);

  QCPAxis* time = m_plot->xAxis;
  time->setLabel(tr("loop time (s)"));
  time->setRange(0.0, kInitialTimeSpanSeconds);

  // Task rows get text ticks (task names) once a model is attached; until then the axis is empty.
  QCPAxis* tasks = m_plot->yAxis;
  tasks->setLabel(tr("tasks"));
  tasks->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  tasks->setRange(0.0, 1.0);
  tasks->setRangeReversed(true);  // first task at the top, like a trace viewer

  // Only the left and bottom axes are shown; keep room for the last time tick label at the right.
  m_plot->axisRect()->setMinimumMargins(QMargins(15, 15, 25, 15));

  // Time is the only axis worth dragging and zooming; the task axis scrolls with the view later.
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
  m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
}

TimelineWidget::~TimelineWidget() = default;

QString TimelineWidget::timeAxisLabel() const
{
  return m_plot->xAxis->label();
}

QString TimelineWidget::taskAxisLabel() const
{
  return m_plot->yAxis->label();
}

QImage TimelineWidget::toImage(QSize size) const
{
  if (size.isEmpty()) {
    return {};
  }
  return m_plot->toPixmap(size.width(), size.height()).toImage();
}

}  // namespace loopscope::views
