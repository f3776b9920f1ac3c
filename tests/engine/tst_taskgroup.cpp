// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder: filled in by the issue 3 work.
#include <QtTest>

class TstTaskgroup : public QObject
{
  Q_OBJECT
private slots:
  void placeholder() { QSKIP("not written yet"); }
};

QTEST_APPLESS_MAIN(TstTaskgroup)
#include "tst_taskgroup.moc"
