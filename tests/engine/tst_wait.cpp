// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder: filled in by the issue 3 work.
#include <QtTest>

class TstWait : public QObject
{
  Q_OBJECT
private slots:
  void placeholder() { QSKIP("not written yet"); }
};

QTEST_APPLESS_MAIN(TstWait)
#include "tst_wait.moc"
