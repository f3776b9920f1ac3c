// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryFile>

#include <sys/stat.h>

namespace loopscope::views {

namespace {
// Exists and is something other than a regular file or a directory (stat follows links, so
// /dev/stdout is whatever fd 1 is).
bool isSpecialFile(const QString& path)
{
  if (path.isEmpty())
    return false;
  struct stat st
  {};
  const QByteArray native = QFile::encodeName(path);
  return ::stat(native.constData(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}
constexpr qint64 kCopyChunk = qint64{1} << 20;
constexpr qsizetype kBufferBytes = 64 * 1024;

// QTemporaryFile opens buffered; its unbuffered open() is protected.
class StagedFile : public QTemporaryFile
{
public:
  using QTemporaryFile::QTemporaryFile;
  bool openUnbuffered() { return open(QIODevice::ReadWrite | QIODevice::Unbuffered); }
};
}  // namespace

AtomicFile::AtomicFile(const QString& path) : m_path(path) {}

AtomicFile::~AtomicFile()
{
  discard();
}

bool AtomicFile::open(OpenMode mode)
{
  if (isOpen()) {
    setErrorString(QStringLiteral("%1 is already open").arg(m_path));
    return false;
  }
  const OpenMode allowed = WriteOnly | Unbuffered | Text;
  if ((mode & WriteOnly) == 0 || (mode & ReadOnly) != 0 || (mode & ~allowed) != 0) {
    setErrorString(QStringLiteral("an output file is opened write-only"));
    return false;
  }
  discard();
  m_failed = m_writeFailed = false;
  if (isSpecialFile(m_path)) {
    auto staged =
        std::make_unique<StagedFile>(QDir::tempPath() + QStringLiteral("/loopscope-output-XXXXXX"));
    const bool opened = staged->openUnbuffered();
    m_staged = std::move(staged);
    if (!opened) {
      setErrorString(QStringLiteral("no temporary file to stage the output in (%1): %2")
                         .arg(QDir::tempPath(), m_staged->errorString()));
      m_staged.reset();
      return false;
    }
  } else {
    m_save = std::make_unique<QSaveFile>(m_path);
    if (!m_save->open(WriteOnly | Unbuffered | (mode & Text))) {
      setErrorString(m_save->errorString());
      m_save.reset();
      return false;
    }
  }
  // Text is the file's business (the inner file converts line ends where that applies).
  return QIODevice::open(mode & ~OpenMode(Text));
}

qint64 AtomicFile::readData(char* /*data*/, qint64 /*maxSize*/)
{
  return -1;
}

qint64 AtomicFile::writeData(const char* data, qint64 size)
{
  if (m_failed || (!m_save && !m_staged))
    return -1;
  if (!openMode().testFlag(Unbuffered)) {
    if (m_buffer.size() + size <= kBufferBytes) {
      m_buffer.append(data, size);
      return size;
    }
    if (!flushBuffer())
      return -1;
    if (size <= kBufferBytes) {
      m_buffer.append(data, size);
      return size;
    }
  }
  return writeAll(data, size) ? size : -1;
}

bool AtomicFile::writeAll(const char* data, qint64 size)
{
  // The inner file is unbuffered: a short write is the file's, and the next write() says why it
  // cannot go on (EFBIG, ENOSPC). A buffered QFileDevice reports a short write on flush without
  // a reason ("Unknown error").
  QFileDevice* file = m_save ? static_cast<QFileDevice*>(m_save.get()) : m_staged.get();
  while (size > 0) {
    const qint64 n = file->write(data, size);
    if (n <= 0) {
      m_failed = m_writeFailed = true;
      setErrorString(file->errorString());
      return false;
    }
    data += n;
    size -= n;
  }
  return true;
}

bool AtomicFile::flushBuffer()
{
  const bool ok = m_failed || writeAll(m_buffer.constData(), m_buffer.size());
  m_buffer.clear();
  return ok && !m_failed;
}

bool AtomicFile::commit()
{
  if (!isOpen()) {
    setErrorString(QStringLiteral("%1 is not open").arg(m_path));
    return false;
  }
  bool ok = flushBuffer();
  if (ok && m_save) {
    ok = m_save->commit();
    if (!ok)
      setErrorString(m_save->errorString());
  } else if (ok) {
    ok = copyStagedIntoTarget();
  }
  discard();
  QIODevice::close();
  return ok;
}

void AtomicFile::cancelWriting()
{
  if (!isOpen() || m_failed)
    return;
  m_failed = true;
  setErrorString(QStringLiteral("Writing canceled by the application"));
}

void AtomicFile::close()
{
  if (!isOpen())
    return;
  cancelWriting();
  discard();
  QIODevice::close();
}

bool AtomicFile::copyStagedIntoTarget()
{
  if (!m_staged->flush() || !m_staged->seek(0)) {
    setErrorString(m_staged->errorString());
    return false;
  }
  QFile target(m_path);
  if (!target.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
    setErrorString(target.errorString());
    return false;
  }
  for (;;) {
    const QByteArray chunk = m_staged->read(kCopyChunk);
    if (chunk.isEmpty()) {
      if (m_staged->error() != QFileDevice::NoError) {
        setErrorString(m_staged->errorString());
        return false;
      }
      break;
    }
    if (target.write(chunk) != chunk.size()) {
      setErrorString(target.errorString());
      return false;
    }
  }
  target.close();
  if (target.error() != QFileDevice::NoError) {
    setErrorString(target.errorString());
    return false;
  }
  return true;
}

void AtomicFile::discard() noexcept
{
  m_buffer.clear();
  m_save.reset();    // QSaveFile removes an uncommitted temporary file
  m_staged.reset();  // and QTemporaryFile its own
}

}  // namespace loopscope::views
