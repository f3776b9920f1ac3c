// SPDX-License-Identifier: GPL-3.0-or-later
// Output files written whole or not at all (views/atomicfile.h): a regular file is replaced in one
// step and left as it was by any failure; a device or a FIFO is written into, never replaced.
//
// The device rows never touch /dev as root: as root they write into device nodes of their own
// (mknod in a temporary directory), so a regression that replaced the target would replace only
// that node. Without root they use /dev/null and /dev/full, which the test cannot replace anyway.
#include <views/atomicfile.h>

#include <QDir>
#include <QFile>
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

using loopscope::views::AtomicFile;

namespace {

QByteArray contents(const QString& path)
{
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

void put(const QString& path, const QByteArray& data)
{
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  QCOMPARE(f.write(data), data.size());
}

struct stat statOf(const QString& path, bool follow = true)
{
  struct stat st
  {};
  const QByteArray native = QFile::encodeName(path);
  if ((follow ? ::stat(native.constData(), &st) : ::lstat(native.constData(), &st)) != 0)
    st.st_mode = 0;
  return st;
}

// Some bytes that are not all alike: 200 KiB, more than a pipe holds.
QByteArray payload()
{
  QByteArray data;
  for (int i = 0; data.size() < 200 * 1024; ++i)
    data += QByteArray::number(i) + ',';
  return data;
}

// Reads a FIFO on a thread until the writer closes it. It holds a writer of its own until
// finish(), so "no writer yet" is not mistaken for the end.
class FifoReader
{
public:
  explicit FifoReader(const QString& path)
  {
    const QByteArray native = QFile::encodeName(path);
    m_read = ::open(native.constData(), O_RDONLY | O_NONBLOCK);
    m_hold = ::open(native.constData(), O_WRONLY | O_NONBLOCK);
    m_thread = std::thread([this] {
      char buf[65536];
      for (;;) {
        pollfd p{m_read, POLLIN, 0};
        ::poll(&p, 1, 1000);
        const ssize_t n = ::read(m_read, buf, sizeof buf);
        if (n > 0)
          m_data.append(buf, n);
        else if (n == 0)
          return;  // every writer, ours too, has closed it
      }
    });
  }
  ~FifoReader() { finish(); }
  FifoReader(const FifoReader&) = delete;
  FifoReader& operator=(const FifoReader&) = delete;

  bool ok() const { return m_read >= 0 && m_hold >= 0; }
  // Everything written, once the writer under test has closed the FIFO.
  QByteArray finish()
  {
    if (m_hold >= 0) {
      ::close(m_hold);
      m_hold = -1;
    }
    if (m_thread.joinable())
      m_thread.join();
    if (m_read >= 0) {
      ::close(m_read);
      m_read = -1;
    }
    return m_data;
  }

private:
  int m_read = -1;
  int m_hold = -1;
  QByteArray m_data;
  std::thread m_thread;
};

// Lowers the file-size limit (SIGXFSZ ignored, as loopscope run does) for one scope.
class FileSizeLimit
{
public:
  explicit FileSizeLimit(rlim_t bytes)
  {
    ::getrlimit(RLIMIT_FSIZE, &m_saved);
    m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lower = m_saved;
    lower.rlim_cur = bytes;
    m_ok = ::setrlimit(RLIMIT_FSIZE, &lower) == 0;
  }
  ~FileSizeLimit()
  {
    ::setrlimit(RLIMIT_FSIZE, &m_saved);
    std::signal(SIGXFSZ, m_oldHandler);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  bool ok() const { return m_ok; }

private:
  rlimit m_saved{};
  void (*m_oldHandler)(int) = SIG_DFL;
  bool m_ok = false;
};

}  // namespace

class tst_AtomicFile : public QObject
{
  Q_OBJECT

private:
  QTemporaryDir m_tmp;     // TMPDIR: where written-through outputs are staged
  QTemporaryDir* m_dir{};  // the outputs' directory of the current test
  QString m_dirPath;
  QString path(const QString& name) const { return m_dirPath + QLatin1Char('/') + name; }
  QStringList entries() const
  {
    return QDir(m_dirPath).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System,
                                     QDir::Name);
  }
  // A character device (major, minor) to write into: a node of its own as root, else /dev's.
  QString device(int major, int minor, const QString& devName)
  {
    if (::geteuid() != 0)
      return devName;
    const QString node = path(QStringLiteral("dev%1-%2").arg(major).arg(minor));
    const QByteArray native = QFile::encodeName(node);
    if (::mknod(native.constData(), S_IFCHR | 0666, makedev(major, minor)) != 0)
      return {};
    const int fd = ::open(native.constData(), O_WRONLY);  // a nodev mount refuses this
    if (fd < 0) {
      ::unlink(native.constData());
      return {};
    }
    ::close(fd);
    return node;
  }

private slots:
  void initTestCase()
  {
    QVERIFY(m_tmp.isValid());
    qputenv("TMPDIR", QFile::encodeName(m_tmp.path()));
    QCOMPARE(QDir::tempPath(), QDir(m_tmp.path()).canonicalPath());
  }
  void init()
  {
    m_dir = new QTemporaryDir(m_tmp.path() + QStringLiteral("/out-XXXXXX"));
    QVERIFY(m_dir->isValid());
    m_dirPath = m_dir->path();
  }
  void cleanup()
  {
    delete m_dir;
    m_dir = nullptr;
    // Nothing staged is left behind, whatever the test did.
    const QStringList left =
        QDir(m_tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
  }

  void replacesARegularFileWhole_data()
  {
    QTest::addColumn<QByteArray>("previous");  // null: no file before
    QTest::addColumn<bool>("viaSymlink");
    QTest::addColumn<bool>("unbuffered");
    QTest::newRow("new file") << QByteArray() << false << false;
    QTest::newRow("existing file") << QByteArray("previous contents") << false << false;
    QTest::newRow("existing file, unbuffered") << QByteArray("previous") << false << true;
    QTest::newRow("through a symlink") << QByteArray("previous") << true << false;
  }
  void replacesARegularFileWhole()
  {
    QFETCH(QByteArray, previous);
    QFETCH(bool, viaSymlink);
    QFETCH(bool, unbuffered);
    const QString real = path(QStringLiteral("out.json"));
    QString target = real;
    if (!previous.isNull())
      put(real, previous);
    if (viaSymlink) {
      target = path(QStringLiteral("link.json"));
      QVERIFY(QFile::link(real, target));
    }
    const ino_t inodeBefore = statOf(real).st_ino;

    const QByteArray data = payload();
    {
      AtomicFile f(target);
      QVERIFY2(
          f.open(QIODevice::WriteOnly | (unbuffered ? QIODevice::Unbuffered : QIODevice::NotOpen)),
          qPrintable(f.errorString()));
      QVERIFY(!f.writesThrough());
      QCOMPARE(f.write(data.left(1000)), 1000);
      QCOMPARE(f.write(data.mid(1000)), data.size() - 1000);
      // Not visible before the commit.
      if (previous.isNull())
        QVERIFY(!QFile::exists(real));
      else
        QCOMPARE(contents(real), previous);
      QVERIFY2(f.commit(), qPrintable(f.errorString()));
      QVERIFY(!f.isOpen());
    }
    QCOMPARE(contents(real), data);
    if (!previous.isNull())
      QVERIFY2(statOf(real).st_ino != inodeBefore, "rewritten in place, not replaced");
    if (viaSymlink)
      QVERIFY(S_ISLNK(statOf(target, false).st_mode));
    QStringList expected{QStringLiteral("out.json")};
    if (viaSymlink)
      expected.prepend(QStringLiteral("link.json"));
    QCOMPARE(entries(), expected);
  }

  void leavesThePreviousFileOnFailure_data()
  {
    QTest::addColumn<QString>("failure");
    QTest::addColumn<QString>("reason");  // in errorString()
    QTest::newRow("cancelled") << "cancel"
                               << "canceled";
    QTest::newRow("closed without commit") << "close"
                                           << "canceled";
    QTest::newRow("destroyed without commit") << "destroy"
                                              << "";
    QTest::newRow("a write past the file-size limit") << "fsize"
                                                      << "File too large";
    QTest::newRow("the target is a directory") << "directory"
                                               << "";
    QTest::newRow("read-only directory") << "readonly"
                                         << "ermission denied";
  }
  void leavesThePreviousFileOnFailure()
  {
    QFETCH(QString, failure);
    QFETCH(QString, reason);
    const QString target = path(QStringLiteral("out.png"));
    const QByteArray previous("previous image");
    if (failure == QLatin1String("directory"))
      QVERIFY(QDir(m_dirPath).mkdir(QStringLiteral("out.png")));
    else
      put(target, previous);
    const QStringList before = entries();
    const QByteArray data = payload();
    if (failure == QLatin1String("readonly")) {
      if (::geteuid() == 0)
        QSKIP("root writes into a read-only directory");
      QVERIFY(QFile::setPermissions(m_dirPath, QFile::ReadOwner | QFile::ExeOwner));
    }

    {
      AtomicFile f(target);
      if (failure == QLatin1String("directory") || failure == QLatin1String("readonly")) {
        QVERIFY(!f.open(QIODevice::WriteOnly));
        QVERIFY(f.errorString().contains(reason));
      } else {
        QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Unbuffered), qPrintable(f.errorString()));
        if (failure == QLatin1String("fsize")) {
          FileSizeLimit limit(4096);
          QVERIFY(limit.ok());
          qint64 written = 0;
          while (written < data.size()) {
            const qint64 n = f.write(data.constData() + written, data.size() - written);
            if (n <= 0)
              break;
            written += n;
          }
          QVERIFY(written < data.size());
          QVERIFY(f.writeFailed());
          QVERIFY2(f.errorString().contains(reason), qPrintable(f.errorString()));
          QVERIFY(!f.commit());
          QVERIFY2(f.errorString().contains(reason), qPrintable(f.errorString()));
        } else {
          QCOMPARE(f.write(data), data.size());
          if (failure == QLatin1String("cancel")) {
            f.cancelWriting();
            QVERIFY(!f.commit());
            QVERIFY(f.errorString().contains(reason));
          } else if (failure == QLatin1String("close")) {
            f.close();
            QVERIFY(!f.commit());
          }
        }
      }
    }
    QFile::setPermissions(m_dirPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (failure != QLatin1String("directory"))
      QCOMPARE(contents(target), previous);
    QCOMPARE(entries(), before);
  }

  void writesIntoADevice_data()
  {
    QTest::addColumn<int>("major");
    QTest::addColumn<int>("minor");
    QTest::addColumn<QString>("devName");
    QTest::addColumn<QString>("reason");  // empty: the write succeeds
    QTest::newRow("null") << 1 << 3 << "/dev/null"
                          << "";
    QTest::newRow("full") << 1 << 7 << "/dev/full"
                          << "No space left on device";
  }
  void writesIntoADevice()
  {
    QFETCH(int, major);
    QFETCH(int, minor);
    QFETCH(QString, devName);
    QFETCH(QString, reason);
    const QString target = device(major, minor, devName);
    if (target.isEmpty())
      QSKIP("running as root, but no device node can be made here (mknod refused, or nodev)");
    const struct stat before = statOf(target);
    QVERIFY(S_ISCHR(before.st_mode));

    {
      AtomicFile f(target);
      QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(f.errorString()));
      QVERIFY(f.writesThrough());
      QCOMPARE(f.write(payload()), payload().size());
      QCOMPARE(f.commit(), reason.isEmpty());
      if (!reason.isEmpty())
        QVERIFY2(f.errorString().contains(reason), qPrintable(f.errorString()));
    }
    const struct stat after = statOf(target);
    QVERIFY2(S_ISCHR(after.st_mode), "the device was replaced");
    QCOMPARE(after.st_rdev, before.st_rdev);
    QCOMPARE(after.st_ino, before.st_ino);
  }

  void writesIntoAFifo_data()
  {
    QTest::addColumn<bool>("commit");
    QTest::newRow("committed: all of it") << true;
    QTest::newRow("cancelled: none of it") << false;
  }
  void writesIntoAFifo()
  {
    QFETCH(bool, commit);
    const QString fifo = path(QStringLiteral("pipe"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    FifoReader reader(fifo);
    QVERIFY(reader.ok());
    const QByteArray data = payload();
    {
      AtomicFile f(fifo);
      QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(f.errorString()));
      QVERIFY(f.writesThrough());
      QCOMPARE(f.write(data), data.size());
      if (commit)
        QVERIFY2(f.commit(), qPrintable(f.errorString()));
      else
        f.cancelWriting();
    }
    QCOMPARE(reader.finish(), commit ? data : QByteArray());
    QVERIFY(S_ISFIFO(statOf(fifo).st_mode));
    QCOMPARE(entries(), QStringList{QStringLiteral("pipe")});
  }

  void opensForWritingOnly_data()
  {
    QTest::addColumn<int>("mode");
    QTest::newRow("read-only") << int(QIODevice::ReadOnly);
    QTest::newRow("read-write") << int(QIODevice::ReadWrite);
    QTest::newRow("append") << int(QIODevice::WriteOnly | QIODevice::Append);
  }
  void opensForWritingOnly()
  {
    QFETCH(int, mode);
    const QString target = path(QStringLiteral("out.txt"));
    put(target, "previous");
    AtomicFile f(target);
    QVERIFY(!f.open(QIODevice::OpenMode(mode)));
    QVERIFY(!f.errorString().isEmpty());
    QCOMPARE(contents(target), QByteArray("previous"));
  }
};

QTEST_GUILESS_MAIN(tst_AtomicFile)
#include "tst_atomicfile.moc"
