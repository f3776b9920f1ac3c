// SPDX-License-Identifier: GPL-3.0-or-later
// Recursive-descent parser for loopscope's Python subset, producing the ast.h tree. It follows
// CPython 3.11's grammar (Grammar/python.gram) and reproduces its error messages and positions
// for the mistakes people make; the checks CPython does after parsing (in the symbol table and
// the compiler: 'return' outside function, 'await' outside async function, ...) are a separate
// pass (Validator) that runs on a complete tree, so a syntax error anywhere wins over them, as in
// CPython.

#include "engine/script/lexer.h"
#include "engine/script/pyformat.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

namespace loopscope::script {

namespace {

using Kind = ParseError::Kind;

/// Nesting of expression parsing functions (brackets, unary operators, lambdas, conditional
/// expressions, f-strings): bounds the parser's own recursion.
constexpr std::uint32_t kMaxRecursion = 400;
/// Height of an expression tree; chains such as `a.b.c...` or `x + x + ...` grow it without
/// recursion in the parser, but destroying or evaluating the tree recurses.
constexpr std::uint32_t kMaxExprHeight = 1000;
/// Nesting of statements (blocks and elif chains).
constexpr std::uint32_t kMaxStmtDepth = 1000;

/// Internal failure: the error plus where it came from (see parse()).
struct Fail
{
  ParseError error;
  /// From the tokenizer (the parser reached the token where it stopped).
  bool from_lexer = false;
  /// CPython reports this one without looking for tokenizer errors further on
  /// ("unexpected indent").
  bool final = false;
};

const char* exprName(const Expr& e)
{
  switch (e.kind) {
    case ExprKind::Attribute:
      return "attribute";
    case ExprKind::Subscript:
      return "subscript";
    case ExprKind::Starred:
      return "starred";
    case ExprKind::Name:
      return "name";
    case ExprKind::List:
      return "list";
    case ExprKind::Tuple:
      return "tuple";
    case ExprKind::Lambda:
      return "lambda";
    case ExprKind::Call:
      return "function call";
    case ExprKind::BoolOp:
    case ExprKind::BinOp:
    case ExprKind::UnaryOp:
      return "expression";
    case ExprKind::GeneratorExp:
      return "generator expression";
    case ExprKind::Await:
      return "await expression";
    case ExprKind::ListComp:
      return "list comprehension";
    case ExprKind::SetComp:
      return "set comprehension";
    case ExprKind::DictComp:
      return "dict comprehension";
    case ExprKind::Dict:
      return "dict literal";
    case ExprKind::Set:
      return "set display";
    case ExprKind::JoinedStr:
    case ExprKind::FormattedValue:
      return "f-string expression";
    case ExprKind::Constant: {
      const auto& c = static_cast<const ConstantExpr&>(e);
      switch (c.value_kind) {
        case ConstKind::None:
          return "None";
        case ConstKind::True:
          return "True";
        case ConstKind::False:
          return "False";
        case ConstKind::Ellipsis:
          return "ellipsis";
        default:
          return "literal";
      }
    }
    case ExprKind::Compare:
      return "comparison";
    case ExprKind::IfExp:
      return "conditional expression";
    case ExprKind::NamedExpr:
      return "named expression";
    case ExprKind::Slice:
      return "slice";
  }
  return "expression";
}

enum class TargetKind : std::uint8_t { Star, For, Del };

/// CPython's _PyPegen_get_invalid_target: the first sub-expression that cannot be a target.
const Expr* invalidTarget(const Expr& e, TargetKind k)
{
  switch (e.kind) {
    case ExprKind::List:
    case ExprKind::Tuple:
      for (const auto& elt : static_cast<const SequenceExpr&>(e).elts) {
        if (const Expr* bad = invalidTarget(*elt, k)) {
          return bad;
        }
      }
      return nullptr;
    case ExprKind::Starred:
      if (k == TargetKind::Del) {
        return &e;
      }
      return invalidTarget(*static_cast<const StarredExpr&>(e).value, k);
    case ExprKind::Name:
    case ExprKind::Subscript:
    case ExprKind::Attribute:
      return nullptr;
    default:
      return &e;
  }
}

void setContext(Expr& e, Ctx ctx)
{
  switch (e.kind) {
    case ExprKind::Name:
      static_cast<NameExpr&>(e).ctx = ctx;
      break;
    case ExprKind::Attribute:
      static_cast<AttributeExpr&>(e).ctx = ctx;
      break;
    case ExprKind::Subscript:
      static_cast<SubscriptExpr&>(e).ctx = ctx;
      break;
    case ExprKind::Starred: {
      auto& s = static_cast<StarredExpr&>(e);
      s.ctx = ctx;
      setContext(*s.value, ctx);
      break;
    }
    case ExprKind::List:
    case ExprKind::Tuple: {
      auto& s = static_cast<SequenceExpr&>(e);
      s.ctx = ctx;
      for (auto& elt : s.elts) {
        setContext(*elt, ctx);
      }
      break;
    }
    default:
      break;
  }
}

bool isConst(const Expr& e, ConstKind k)
{
  return e.kind == ExprKind::Constant && static_cast<const ConstantExpr&>(e).value_kind == k;
}

std::string hex2(unsigned v)
{
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", v & 0xFFu);
  return buf;
}

int hexValue(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

struct StringPrefix
{
  bool raw = false;
  bool bytes = false;
  bool fstring = false;
  std::uint32_t prefix_len = 0;
  std::uint32_t quote_len = 1;
};

class Parser
{
public:
  Parser(std::string_view src, const std::string& filename, const LexResult& lex,
         const std::vector<std::uint32_t>& lineStarts)
      : src_(src)
      , filename_(filename)
      , mainLex_(&lex)
      , lex_(&lex)
      , toks_(&lex.tokens)
      , lineStarts_(lineStarts)
  {}

  std::uint32_t errorLine() const { return furthestLine(); }

  Body parseFile()
  {
    Body body;
    while (cur().kind != TokKind::EndMarker) {
      statement(body);
    }
    return body;
  }

private:
  // ------------------------------------------------------------------ tokens and errors

  [[noreturn]] void throwLexError()
  {
    Fail f;
    f.error = *lex_->error;
    f.from_lexer = true;
    throw f;
  }

  /// The line of the furthest token the parser looked at in the file (CPython compares it with
  /// the line of an unclosed bracket).
  std::uint32_t furthestLine() const
  {
    const auto& t = mainLex_->tokens;
    return t[std::min(maxFetched_, t.size() - 1)].pos.line;
  }

  const Token& cur()
  {
    if (toks_ == &mainLex_->tokens) {
      maxFetched_ = std::max(maxFetched_, p_);
    }
    const Token& t = (*toks_)[p_];
    if (t.kind == TokKind::Error) {
      throwLexError();
    }
    return t;
  }

  const Token& peek(std::size_t k = 1)
  {
    const std::size_t i = std::min(p_ + k, toks_->size() - 1);
    if (toks_ == &mainLex_->tokens) {
      maxFetched_ = std::max(maxFetched_, i);
    }
    // Tokens up to and including i must exist without error (CPython fetches them in order).
    for (std::size_t j = p_; j <= i; ++j) {
      if ((*toks_)[j].kind == TokKind::Error) {
        throwLexError();
      }
    }
    return (*toks_)[i];
  }

  void advance()
  {
    const Token& t = cur();
    lastEnd_ = t.end_pos;
    if (p_ + 1 < toks_->size()) {
      ++p_;
    }
  }

  /// Speculative parsing: where to come back to.
  struct Mark
  {
    std::size_t p;
    std::size_t parenthesized;
  };
  Mark mark() const { return Mark{p_, parenthesizedLog_.size()}; }
  void rollback(const Mark& m)
  {
    p_ = m.p;
    while (parenthesizedLog_.size() > m.parenthesized) {
      parenthesized_.erase(parenthesizedLog_.back());
      parenthesizedLog_.pop_back();
    }
  }

  bool atOp(Op op) { return cur().kind == TokKind::Op && cur().op == op; }
  bool atKw(Kw kw) { return cur().kind == TokKind::Name && cur().kw == kw; }
  static bool isOp(const Token& t, Op op) { return t.kind == TokKind::Op && t.op == op; }
  static bool isKw(const Token& t, Kw kw) { return t.kind == TokKind::Name && t.kw == kw; }
  static bool isPlainName(const Token& t) { return t.kind == TokKind::Name && t.kw == Kw::None; }
  bool atName() { return isPlainName(cur()); }

  std::string_view text(const Token& t) const { return src_.substr(t.begin, t.end - t.begin); }

  /// An identifier (NFKC-normalized like Python's, for the common compatibility characters).
  std::string name(const Token& t) const
  {
    const std::string_view s = text(t);
    for (const char c : s) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return normalizeIdentifier(s);
      }
    }
    return std::string(s);
  }

  bool acceptOp(Op op)
  {
    if (atOp(op)) {
      advance();
      return true;
    }
    return false;
  }
  bool acceptKw(Kw kw)
  {
    if (atKw(kw)) {
      advance();
      return true;
    }
    return false;
  }

  [[noreturn]] void error(Kind kind, std::string msg, Pos pos, bool final = false)
  {
    Fail f;
    f.error.kind = kind;
    f.error.message = std::move(msg);
    f.error.filename = filename_;
    f.error.pos = pos;
    f.final = final;
    throw f;
  }
  [[noreturn]] void syntaxError(std::string msg, Pos pos)
  {
    error(Kind::Syntax, std::move(msg), pos);
  }
  [[noreturn]] void notSupported(std::string what, Pos pos)
  {
    error(Kind::NotSupported, std::move(what), pos);
  }

  /// The generic failure at the current token.
  [[noreturn]] void invalidSyntax()
  {
    const Token& t = cur();
    if (t.kind == TokKind::Indent) {
      error(Kind::Indentation, "unexpected indent", t.pos, true);
    }
    if (t.kind == TokKind::Dedent) {
      error(Kind::Indentation, "unexpected unindent", t.pos, true);
    }
    if (isKw(t, Kw::Yield)) {
      notSupported("generators ('yield')", t.pos);
    }
    syntaxError("invalid syntax", t.pos);
  }

  void expectOp(Op op)
  {
    if (!acceptOp(op)) {
      invalidSyntax();
    }
  }

  /// ':' after a statement header: "expected ':'" when the line ends there.
  void expectColon()
  {
    if (acceptOp(Op::Colon)) {
      return;
    }
    if (cur().kind == TokKind::Newline) {
      syntaxError("expected ':'", cur().pos);
    }
    invalidSyntax();
  }

  Token expectName()
  {
    if (!atName()) {
      invalidSyntax();
    }
    Token t = cur();
    advance();
    return t;
  }

  Pos posOfOffset(std::uint32_t off) const
  {
    const auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), off);
    const auto line = static_cast<std::uint32_t>(it - lineStarts_.begin());
    return Pos{line, off - lineStarts_[line - 1] + 1};
  }

  struct Recursion
  {
    explicit Recursion(Parser& p, Pos pos) : p_(p)
    {
      if (++p_.recursion_ > kMaxRecursion) {
        p_.notSupported(
            "expressions nested more than " + std::to_string(kMaxRecursion) + " levels deep", pos);
      }
    }
    ~Recursion() { --p_.recursion_; }
    Recursion(const Recursion&) = delete;
    Recursion& operator=(const Recursion&) = delete;

  private:
    Parser& p_;
  };

  struct Brackets
  {
    explicit Brackets(Parser& p) : p_(p) { ++p_.brackets_; }
    ~Brackets() { --p_.brackets_; }
    Brackets(const Brackets&) = delete;
    Brackets& operator=(const Brackets&) = delete;

  private:
    Parser& p_;
  };

  /// Height bookkeeping: every expression function leaves the height of the tree it returns in
  /// height_.
  template <class T>
  ExprPtr seal(std::unique_ptr<T> node, std::uint32_t childHeight)
  {
    height_ = childHeight + 1;
    if (height_ > kMaxExprHeight) {
      notSupported(
          "expressions nested more than " + std::to_string(kMaxExprHeight) + " levels deep",
          node->pos);
    }
    return ExprPtr(std::move(node));
  }
  ExprPtr leaf(ExprPtr e)
  {
    height_ = 1;
    return e;
  }

  // ------------------------------------------------------------------ statements

  void statement(Body& body)
  {
    const Token& t = cur();
    if (t.kind == TokKind::Name) {
      switch (t.kw) {
        case Kw::If:
          body.push_back(ifStmt());
          return;
        case Kw::While:
          body.push_back(whileStmt());
          return;
        case Kw::For:
          body.push_back(forStmt(false, t.pos));
          return;
        case Kw::Try:
          body.push_back(tryStmt());
          return;
        case Kw::With:
          body.push_back(withStmt(false, t.pos));
          return;
        case Kw::Def:
          body.push_back(funcDef({}, false, t.pos));
          return;
        case Kw::Class:
          body.push_back(classDef({}));
          return;
        case Kw::Async: {
          const Pos pos = t.pos;
          const Token& n = peek();
          if (isKw(n, Kw::Def)) {
            advance();
            body.push_back(funcDef({}, true, pos));
            return;
          }
          if (isKw(n, Kw::With)) {
            advance();
            body.push_back(withStmt(true, pos));
            return;
          }
          if (isKw(n, Kw::For)) {
            advance();
            body.push_back(forStmt(true, pos));
            return;
          }
          advance();
          invalidSyntax();
        }
        default:
          break;
      }
      if (t.kw == Kw::None) {
        softKeywordStatement();
      }
    } else if (isOp(t, Op::At)) {
      body.push_back(decorated());
      return;
    } else if (t.kind == TokKind::Indent || t.kind == TokKind::Dedent) {
      invalidSyntax();
    }
    simpleStatements(body);
  }

  /// `match x:`, `type X = ...` and Python 2's `print x` are not supported; detect them before
  /// they are parsed as expressions.
  void softKeywordStatement()
  {
    const Token& t = cur();
    const std::string_view name = text(t);
    if (name == "match") {
      const Token& n = peek();
      if (canStartExpression(n) && !isOp(n, Op::Star) && n.kind != TokKind::Newline) {
        const Mark save = mark();
        bool isMatch = false;
        try {
          advance();
          starNamedExpressionsForMatch();
          isMatch = atOp(Op::Colon) ||
                    (cur().kind == TokKind::Newline && peek().kind == TokKind::Indent &&
                     isPlainName(peek(2)) && text(peek(2)) == "case");
        } catch (const Fail&) {
          isMatch = false;
        }
        rollback(save);
        if (isMatch) {
          notSupported("the match statement", t.pos);
        }
      }
    } else if (name == "type") {
      const Token& n = peek();
      if (isPlainName(n)) {
        const Token& n2 = peek(2);
        if (isOp(n2, Op::Equal) || isOp(n2, Op::LSqb)) {
          notSupported("the type statement", t.pos);
        }
      }
    } else if (name == "print" || name == "exec") {
      const Token& n = peek();
      const bool startsOperand =
          isPlainName(n) || n.kind == TokKind::Number || n.kind == TokKind::String ||
          isKw(n, Kw::NoneLit) || isKw(n, Kw::True) || isKw(n, Kw::False) || isKw(n, Kw::Lambda) ||
          isKw(n, Kw::Await) || isOp(n, Op::LBrace) || isOp(n, Op::Tilde) || isOp(n, Op::Ellipsis);
      if (startsOperand) {
        notSupported(
            "the Python 2 " + std::string(name) + " statement; call " + std::string(name) + "(...)",
            t.pos);
      }
    }
  }

  void starNamedExpressionsForMatch()
  {
    starNamedExpression();
    while (acceptOp(Op::Comma)) {
      if (atOp(Op::Colon)) {
        return;
      }
      starNamedExpression();
    }
  }

  void simpleStatements(Body& body)
  {
    for (;;) {
      StmtPtr s = simpleStatement();
      s->end_line = lastEnd_.line;
      body.push_back(std::move(s));
      if (acceptOp(Op::Semi)) {
        if (cur().kind == TokKind::Newline) {
          break;
        }
        continue;
      }
      break;
    }
    if (cur().kind != TokKind::Newline) {
      invalidSyntax();
    }
    advance();
  }

  StmtPtr simpleStatement()
  {
    const Token& t = cur();
    const Pos pos = t.pos;
    if (t.kind == TokKind::Name) {
      switch (t.kw) {
        case Kw::Pass:
          advance();
          return std::make_unique<SimpleStmt>(StmtKind::Pass, pos);
        case Kw::Break:
          advance();
          return std::make_unique<SimpleStmt>(StmtKind::Break, pos);
        case Kw::Continue:
          advance();
          return std::make_unique<SimpleStmt>(StmtKind::Continue, pos);
        case Kw::Return: {
          advance();
          auto s = std::make_unique<ReturnStmt>(pos);
          if (!atStatementEnd()) {
            s->value = starExpressions();
          }
          return s;
        }
        case Kw::Raise: {
          advance();
          auto s = std::make_unique<RaiseStmt>(pos);
          if (!atStatementEnd()) {
            s->exc = expression();
            if (acceptKw(Kw::From)) {
              s->cause = expression();
            }
          }
          return s;
        }
        case Kw::Global:
        case Kw::Nonlocal: {
          advance();
          auto s = std::make_unique<NamesStmt>(
              t.kw == Kw::Global ? StmtKind::Global : StmtKind::Nonlocal, pos);
          s->names.emplace_back(name(expectName()));
          while (acceptOp(Op::Comma)) {
            s->names.emplace_back(name(expectName()));
          }
          return s;
        }
        case Kw::Del:
          return delStmt();
        case Kw::Assert: {
          advance();
          auto s = std::make_unique<AssertStmt>(pos);
          s->test = expression();
          if (acceptOp(Op::Comma)) {
            s->msg = expression();
          }
          return s;
        }
        case Kw::Import:
          return importStmt();
        case Kw::From:
          return fromImportStmt();
        case Kw::Yield:
          notSupported("generators ('yield')", pos);
        default:
          break;
      }
    }
    return expressionStatement();
  }

  bool atStatementEnd()
  {
    const Token& t = cur();
    return t.kind == TokKind::Newline || isOp(t, Op::Semi);
  }

  StmtPtr delStmt()
  {
    const Pos pos = cur().pos;
    advance();
    auto s = std::make_unique<DeleteStmt>(pos);
    ExprPtr targets = starExpressions();
    if (targets->kind == ExprKind::Tuple && !static_cast<SequenceExpr&>(*targets).parenthesized) {
      for (auto& e : static_cast<SequenceExpr&>(*targets).elts) {
        s->targets.push_back(std::move(e));
      }
    } else {
      s->targets.push_back(std::move(targets));
    }
    for (auto& e : s->targets) {
      toTarget(*e, Ctx::Del, TargetKind::Del);
    }
    return s;
  }

  std::string dottedName()
  {
    std::string dotted = name(expectName());
    while (atOp(Op::Dot)) {
      advance();
      dotted += '.';
      dotted += name(expectName());
    }
    return dotted;
  }

  StmtPtr importStmt()
  {
    const Pos pos = cur().pos;
    advance();
    auto s = std::make_unique<ImportStmt>(pos);
    for (;;) {
      Alias a;
      a.pos = cur().pos;
      a.name = dottedName();
      if (acceptKw(Kw::As)) {
        a.asname = name(expectName());
      }
      s->names.push_back(std::move(a));
      if (!acceptOp(Op::Comma)) {
        break;
      }
    }
    return s;
  }

  StmtPtr fromImportStmt()
  {
    const Pos pos = cur().pos;
    advance();
    auto s = std::make_unique<ImportFromStmt>(pos);
    for (;;) {
      if (acceptOp(Op::Dot)) {
        ++s->level;
      } else if (acceptOp(Op::Ellipsis)) {
        s->level += 3;
      } else {
        break;
      }
    }
    if (!atKw(Kw::Import) || s->level == 0) {
      s->module = dottedName();
    }
    if (!acceptKw(Kw::Import)) {
      invalidSyntax();
    }
    if (atOp(Op::Star)) {
      Alias a;
      a.pos = cur().pos;
      a.name = "*";
      advance();
      s->names.push_back(std::move(a));
      return s;
    }
    const bool paren = acceptOp(Op::LPar);
    for (;;) {
      Alias a;
      a.pos = cur().pos;
      a.name = name(expectName());
      if (acceptKw(Kw::As)) {
        a.asname = name(expectName());
      }
      s->names.push_back(std::move(a));
      if (!acceptOp(Op::Comma)) {
        break;
      }
      if (paren && atOp(Op::RPar)) {
        break;
      }
      if (!paren && atStatementEnd()) {
        syntaxError("trailing comma not allowed without surrounding parentheses", cur().pos);
      }
    }
    if (paren) {
      expectOp(Op::RPar);
    }
    return s;
  }

  /// Expression statements and all assignments.
  StmtPtr expressionStatement()
  {
    const Pos pos = cur().pos;
    ExprPtr first = starExpressions();
    if (atOp(Op::Colon)) {
      return annAssign(std::move(first), pos);
    }
    if (atOp(Op::Equal)) {
      return assignment(std::move(first), pos);
    }
    if (cur().kind == TokKind::Op) {
      if (const auto op = augOp(cur().op)) {
        const Expr& t = *first;
        if (t.kind != ExprKind::Name && t.kind != ExprKind::Attribute &&
            t.kind != ExprKind::Subscript) {
          syntaxError(std::string("'") + exprName(t) +
                          "' is an illegal expression for augmented assignment",
                      t.pos);
        }
        advance();
        auto s = std::make_unique<AugAssignStmt>(pos);
        setContext(*first, Ctx::Store);
        s->target = std::move(first);
        s->op = *op;
        if (atKw(Kw::Yield)) {
          notSupported("generators ('yield')", cur().pos);
        }
        s->value = starExpressions();
        return s;
      }
    }
    if (!atStatementEnd() && brackets_ == 0) {
      statementTail(*first);
    }
    auto s = std::make_unique<ExprStmt>(pos);
    s->value = std::move(first);
    return s;
  }

  /// After a complete expression statement something else follows: CPython's hints.
  [[noreturn]] void statementTail(const Expr& first)
  {
    if (atOp(Op::ColonEqual) && first.kind != ExprKind::Name) {
      syntaxError(std::string("cannot use assignment expressions with ") + exprName(first),
                  first.pos);
    }
    invalidSyntax();
  }

  static std::optional<BinOpKind> augOp(Op op)
  {
    switch (op) {
      case Op::PlusEqual:
        return BinOpKind::Add;
      case Op::MinEqual:
        return BinOpKind::Sub;
      case Op::StarEqual:
        return BinOpKind::Mult;
      case Op::AtEqual:
        return BinOpKind::MatMult;
      case Op::SlashEqual:
        return BinOpKind::Div;
      case Op::PercentEqual:
        return BinOpKind::Mod;
      case Op::DoubleStarEqual:
        return BinOpKind::Pow;
      case Op::LeftShiftEqual:
        return BinOpKind::LShift;
      case Op::RightShiftEqual:
        return BinOpKind::RShift;
      case Op::VBarEqual:
        return BinOpKind::BitOr;
      case Op::CircumflexEqual:
        return BinOpKind::BitXor;
      case Op::AmperEqual:
        return BinOpKind::BitAnd;
      case Op::DoubleSlashEqual:
        return BinOpKind::FloorDiv;
      default:
        return std::nullopt;
    }
  }

  StmtPtr annAssign(ExprPtr target, Pos pos)
  {
    const Expr& t = *target;
    if (t.kind == ExprKind::Tuple || t.kind == ExprKind::List) {
      const auto& seq = static_cast<const SequenceExpr&>(t);
      const Pos at = (t.kind == ExprKind::Tuple && !seq.parenthesized && !seq.elts.empty())
                         ? seq.elts.front()->pos
                         : t.pos;
      syntaxError(std::string("only single target (not ") + exprName(t) + ") can be annotated", at);
    }
    if (t.kind != ExprKind::Name && t.kind != ExprKind::Attribute &&
        t.kind != ExprKind::Subscript) {
      syntaxError("illegal target for annotation", t.pos);
    }
    advance();  // ':'
    auto s = std::make_unique<AnnAssignStmt>(pos);
    setContext(*target, Ctx::Store);
    s->target = std::move(target);
    s->annotation = expression();
    if (acceptOp(Op::Equal)) {
      if (atKw(Kw::Yield)) {
        notSupported("generators ('yield')", cur().pos);
      }
      s->value = starExpressions();
    }
    return s;
  }

  StmtPtr assignment(ExprPtr first, Pos pos)
  {
    std::vector<ExprPtr> exprs;
    exprs.push_back(std::move(first));
    while (atOp(Op::Equal)) {
      advance();
      if (atKw(Kw::Yield)) {
        notSupported("generators ('yield')", cur().pos);
      }
      // CPython: `a = b = 1 +` is "invalid syntax" at the end; `(a) = (1) = 2` checks targets
      // only once the whole statement parsed.
      exprs.push_back(starExpressions());
    }
    ExprPtr value = std::move(exprs.back());
    exprs.pop_back();
    // "cannot assign to X here. Maybe you meant '==' instead of '='?": CPython's
    // invalid_named_expression, which applies to `target = value` with a single '=' when the
    // invalid target is the whole left side or the last element of an unparenthesized tuple.
    if (exprs.size() == 1) {
      const Expr* cand = exprs[0].get();
      if (cand->kind == ExprKind::Tuple && !static_cast<const SequenceExpr*>(cand)->parenthesized &&
          !static_cast<const SequenceExpr*>(cand)->elts.empty()) {
        cand = static_cast<const SequenceExpr*>(cand)->elts.back().get();
      }
      if (invalidTarget(*cand, TargetKind::Star) == cand && isBitwiseOrLevel(*cand) &&
          cand->kind != ExprKind::List && cand->kind != ExprKind::Tuple &&
          cand->kind != ExprKind::GeneratorExp && !isConst(*cand, ConstKind::True) &&
          !isConst(*cand, ConstKind::False) && !isConst(*cand, ConstKind::None) &&
          isBitwiseOrStart(*value)) {
        syntaxError(std::string("cannot assign to ") + exprName(*cand) +
                        " here. Maybe you meant '==' instead of '='?",
                    cand->pos);
      }
    }
    for (auto& t : exprs) {
      toTarget(*t, Ctx::Store, TargetKind::Star);
    }
    auto s = std::make_unique<AssignStmt>(pos);
    s->targets = std::move(exprs);
    s->value = std::move(value);
    return s;
  }

  /// Whether `e` is what CPython's bitwise_or rule can produce (so not `a or b`, `not a`,
  /// comparisons, conditional expressions, lambdas, starred), counting parentheses.
  bool isBitwiseOrLevel(const Expr& e) const
  {
    if (parenthesized_.count(&e) != 0) {
      return true;
    }
    switch (e.kind) {
      case ExprKind::BoolOp:
      case ExprKind::Compare:
      case ExprKind::IfExp:
      case ExprKind::Lambda:
      case ExprKind::Starred:
      case ExprKind::NamedExpr:
        return false;
      case ExprKind::UnaryOp:
        return static_cast<const UnaryOpExpr&>(e).op != UnaryOpKind::Not;
      default:
        return true;
    }
  }

  /// Whether an expression starts with something bitwise_or can parse (approximation of
  /// CPython's `b=bitwise_or` in invalid_named_expression: not `*x`, `not x`, `lambda`).
  bool isBitwiseOrStart(const Expr& e) const
  {
    const Expr* x = &e;
    for (;;) {
      if (parenthesized_.count(x) != 0) {
        return true;
      }
      switch (x->kind) {
        case ExprKind::Starred:
        case ExprKind::Lambda:
          return false;
        case ExprKind::UnaryOp:
          return static_cast<const UnaryOpExpr*>(x)->op != UnaryOpKind::Not;
        case ExprKind::Tuple:
          if (static_cast<const SequenceExpr*>(x)->parenthesized ||
              static_cast<const SequenceExpr*>(x)->elts.empty()) {
            return true;
          }
          x = static_cast<const SequenceExpr*>(x)->elts.front().get();
          continue;
        case ExprKind::BoolOp:
          x = static_cast<const BoolOpExpr*>(x)->values.front().get();
          continue;
        case ExprKind::Compare:
          x = static_cast<const CompareExpr*>(x)->left.get();
          continue;
        case ExprKind::IfExp:
          x = static_cast<const IfExpExpr*>(x)->body.get();
          continue;
        default:
          return true;
      }
    }
  }

  void toTarget(Expr& e, Ctx ctx, TargetKind k)
  {
    if (const Expr* bad = invalidTarget(e, k)) {
      syntaxError(std::string(k == TargetKind::Del ? "cannot delete " : "cannot assign to ") +
                      exprName(*bad),
                  bad->pos);
    }
    setContext(e, ctx);
  }

  // ---- blocks and compound statements

  struct StmtDepth
  {
    StmtDepth(Parser& p, Pos pos) : p_(p)
    {
      if (++p_.stmtDepth_ > kMaxStmtDepth) {
        p_.notSupported(
            "statements nested more than " + std::to_string(kMaxStmtDepth) + " levels deep", pos);
      }
    }
    ~StmtDepth() { --p_.stmtDepth_; }
    StmtDepth(const StmtDepth&) = delete;
    StmtDepth& operator=(const StmtDepth&) = delete;

  private:
    Parser& p_;
  };

  /// After the ':' of a compound statement header: an indented block or simple statements on
  /// the same line. Returns the last line of the block.
  std::uint32_t block(Body& body, std::string_view what, std::uint32_t headerLine)
  {
    StmtDepth guard(*this, cur().pos);
    if (cur().kind == TokKind::Newline) {
      advance();
      if (cur().kind != TokKind::Indent) {
        error(Kind::Indentation,
              "expected an indented block after " + std::string(what) + " on line " +
                  std::to_string(headerLine),
              cur().pos);
      }
      advance();
      while (cur().kind != TokKind::Dedent && cur().kind != TokKind::EndMarker) {
        statement(body);
      }
      if (cur().kind == TokKind::Dedent) {
        advance();
      }
    } else {
      simpleStatements(body);
    }
    return body.empty() ? headerLine : body.back()->end_line;
  }

  ExprPtr namedTest()
  {
    ExprPtr test = namedExpression();
    if (atOp(Op::Equal)) {
      assignmentInTest(*test);
    }
    return test;
  }

  /// `if x = 1:` -- CPython's invalid_named_expression.
  [[noreturn]] void assignmentInTest(const Expr& test)
  {
    const Pos eqPos = cur().pos;
    const Mark save = mark();
    bool rhsOk = false;
    try {
      advance();
      bitwiseOr();
      rhsOk = !atOp(Op::Equal) && !atOp(Op::ColonEqual);
    } catch (const Fail&) {
      rhsOk = false;
    }
    rollback(save);
    if (rhsOk) {
      if (test.kind == ExprKind::Name && parenthesized_.count(&test) == 0) {
        syntaxError("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", test.pos);
      }
      if (isBitwiseOrLevel(test) && test.kind != ExprKind::List && test.kind != ExprKind::Tuple &&
          test.kind != ExprKind::GeneratorExp && !isConst(test, ConstKind::True) &&
          !isConst(test, ConstKind::False) && !isConst(test, ConstKind::None)) {
        syntaxError(std::string("cannot assign to ") + exprName(test) +
                        " here. Maybe you meant '==' instead of '='?",
                    test.pos);
      }
    }
    syntaxError("invalid syntax", eqPos);
  }

  StmtPtr ifStmt()
  {
    const Pos pos = cur().pos;
    advance();
    auto s = std::make_unique<IfStmt>(pos);
    s->test = namedTest();
    expectColon();
    std::uint32_t end = block(s->body, "'if' statement", pos.line);
    // elif chains are built iteratively (each elif is an IfStmt in the previous orelse).
    std::vector<IfStmt*> chain{s.get()};
    std::size_t depthAdded = 0;
    while (atKw(Kw::Elif)) {
      const Pos epos = cur().pos;
      if (++stmtDepth_ > kMaxStmtDepth) {
        notSupported(
            "statements nested more than " + std::to_string(kMaxStmtDepth) + " levels deep", epos);
      }
      ++depthAdded;
      advance();
      auto e = std::make_unique<IfStmt>(epos);
      e->test = namedTest();
      expectColon();
      end = block(e->body, "'elif' statement", epos.line);
      IfStmt* raw = e.get();
      chain.back()->orelse.push_back(std::move(e));
      chain.push_back(raw);
    }
    if (atKw(Kw::Else)) {
      const Pos epos = cur().pos;
      advance();
      expectColon();
      end = block(chain.back()->orelse, "'else' statement", epos.line);
    }
    stmtDepth_ -= static_cast<std::uint32_t>(depthAdded);
    for (IfStmt* i : chain) {
      i->end_line = end;
    }
    return s;
  }

  StmtPtr whileStmt()
  {
    const Pos pos = cur().pos;
    advance();
    auto s = std::make_unique<WhileStmt>(pos);
    s->test = namedTest();
    expectColon();
    s->end_line = block(s->body, "'while' statement", pos.line);
    if (atKw(Kw::Else)) {
      const Pos epos = cur().pos;
      advance();
      expectColon();
      s->end_line = block(s->orelse, "'else' statement", epos.line);
    }
    return s;
  }

  /// A comma-separated target list up to `in` (for loops and comprehensions).
  ExprPtr forTargets()
  {
    const Pos pos = cur().pos;
    ExprPtr first = starTarget();
    std::uint32_t h = height_;
    if (!atOp(Op::Comma)) {
      toTarget(*first, Ctx::Store, TargetKind::For);
      height_ = h;
      return first;
    }
    auto tuple = std::make_unique<SequenceExpr>(ExprKind::Tuple, pos);
    tuple->elts.push_back(std::move(first));
    while (acceptOp(Op::Comma)) {
      if (atKw(Kw::In)) {
        break;
      }
      tuple->elts.push_back(starTarget());
      h = std::max(h, height_);
    }
    ExprPtr t = seal(std::move(tuple), h);
    toTarget(*t, Ctx::Store, TargetKind::For);
    return t;
  }

  ExprPtr starTarget()
  {
    if (atOp(Op::Star)) {
      const Pos pos = cur().pos;
      advance();
      auto s = std::make_unique<StarredExpr>(pos);
      s->value = bitwiseOr();
      return seal(std::move(s), height_);
    }
    return bitwiseOr();
  }

  StmtPtr forStmt(bool isAsync, Pos pos)
  {
    advance();  // 'for'
    auto s = std::make_unique<ForStmt>(pos);
    s->is_async = isAsync;
    s->target = forTargets();
    if (!acceptKw(Kw::In)) {
      invalidSyntax();
    }
    s->iter = starExpressions();
    expectColon();
    s->end_line = block(s->body, "'for' statement", pos.line);
    if (atKw(Kw::Else)) {
      const Pos epos = cur().pos;
      advance();
      expectColon();
      s->end_line = block(s->orelse, "'else' statement", epos.line);
    }
    return s;
  }

  StmtPtr tryStmt()
  {
    const Pos pos = cur().pos;
    advance();
    auto s = std::make_unique<TryStmt>(pos);
    expectColon();
    s->end_line = block(s->body, "'try' statement", pos.line);
    bool sawPlain = false, sawStar = false;
    while (atKw(Kw::Except)) {
      ExceptHandler h;
      h.pos = cur().pos;
      advance();
      const bool star = atOp(Op::Star);
      if (star) {
        advance();
      }
      if ((star && sawPlain) || (!star && sawStar)) {
        syntaxError("cannot have both 'except' and 'except*' on the same 'try'", h.pos);
      }
      (star ? sawStar : sawPlain) = true;
      if (!atOp(Op::Colon) && cur().kind != TokKind::Newline) {
        h.type = expression();
        if (atOp(Op::Comma)) {
          const Pos tpos = h.type->pos;
          advance();
          if (canStartExpression(cur())) {
            syntaxError("multiple exception types must be parenthesized", tpos);
          }
          invalidSyntax();
        }
        if (acceptKw(Kw::As)) {
          h.name = name(expectName());
        }
      } else if (star && atOp(Op::Colon)) {
        syntaxError("expected one or more exception types", cur().pos);
      }
      expectColon();
      s->end_line = block(h.body, star ? "'except*' statement" : "'except' statement", h.pos.line);
      s->handlers.push_back(std::move(h));
    }
    s->is_star = sawStar;
    if (atKw(Kw::Else)) {
      if (s->handlers.empty()) {
        invalidSyntax();
      }
      const Pos epos = cur().pos;
      advance();
      expectColon();
      s->end_line = block(s->orelse, "'else' statement", epos.line);
    }
    if (atKw(Kw::Finally)) {
      const Pos fpos = cur().pos;
      advance();
      expectColon();
      s->end_line = block(s->finalbody, "'finally' statement", fpos.line);
    }
    if (s->handlers.empty() && s->finalbody.empty()) {
      syntaxError("expected 'except' or 'finally' block", cur().pos);
    }
    return s;
  }

  WithItem withItem()
  {
    WithItem item;
    item.context_expr = expression();
    if (acceptKw(Kw::As)) {
      item.optional_vars = starTarget();
      const Token& n = cur();
      if (!isOp(n, Op::Comma) && !isOp(n, Op::RPar) && !isOp(n, Op::Colon) &&
          n.kind != TokKind::Newline) {
        invalidSyntax();
      }
      toTarget(*item.optional_vars, Ctx::Store, TargetKind::Star);
    }
    return item;
  }

  StmtPtr withStmt(bool isAsync, Pos pos)
  {
    advance();  // 'with'
    auto s = std::make_unique<WithStmt>(pos);
    s->is_async = isAsync;
    bool done = false;
    if (atOp(Op::LPar)) {
      // `with (a as b, c):` -- unless the parenthesis belongs to the first expression.
      const Mark save = mark();
      try {
        Brackets br(*this);
        advance();
        std::vector<WithItem> items;
        items.push_back(withItem());
        while (acceptOp(Op::Comma)) {
          if (atOp(Op::RPar)) {
            break;
          }
          items.push_back(withItem());
        }
        if (atOp(Op::RPar) && (isOp(peek(), Op::Colon) || peek().kind == TokKind::Newline)) {
          advance();
          s->items = std::move(items);
          done = true;
        }
      } catch (const Fail& f) {
        if (f.error.kind == Kind::NotSupported || f.from_lexer) {
          throw;
        }
      }
      if (!done) {
        rollback(save);
      }
    }
    if (!done) {
      s->items.push_back(withItem());
      while (acceptOp(Op::Comma)) {
        s->items.push_back(withItem());
      }
    }
    expectColon();
    s->end_line = block(s->body, "'with' statement", pos.line);
    return s;
  }

  StmtPtr decorated()
  {
    std::vector<ExprPtr> decorators;
    while (atOp(Op::At)) {
      advance();
      decorators.push_back(namedExpression());
      if (cur().kind != TokKind::Newline) {
        invalidSyntax();
      }
      advance();
    }
    const Token& t = cur();
    if (isKw(t, Kw::Def)) {
      return funcDef(std::move(decorators), false, t.pos);
    }
    if (isKw(t, Kw::Async) && isKw(peek(), Kw::Def)) {
      const Pos pos = t.pos;
      advance();
      return funcDef(std::move(decorators), true, pos);
    }
    if (isKw(t, Kw::Class)) {
      return classDef(std::move(decorators));
    }
    invalidSyntax();
  }

  StmtPtr funcDef(std::vector<ExprPtr> decorators, bool isAsync, Pos pos)
  {
    advance();  // 'def'
    auto s = std::make_unique<FunctionDefStmt>(pos);
    s->is_async = isAsync;
    s->decorators = std::move(decorators);
    s->name = name(expectName());
    if (atOp(Op::LSqb)) {
      notSupported("type parameter lists", cur().pos);
    }
    if (!atOp(Op::LPar)) {
      syntaxError("expected '('", cur().pos);
    }
    {
      Brackets br(*this);
      advance();
      parameters(s->args, false);
      expectOp(Op::RPar);
    }
    if (acceptOp(Op::RArrow)) {
      s->returns = expression();
    }
    expectColon();
    s->end_line = block(s->body, "function definition", pos.line);
    if (!s->body.empty() && s->body.front()->kind == StmtKind::Expr) {
      const Expr& v = *static_cast<const ExprStmt&>(*s->body.front()).value;
      if (v.kind == ExprKind::Constant &&
          static_cast<const ConstantExpr&>(v).value_kind == ConstKind::Str) {
        s->docstring = static_cast<const ConstantExpr&>(v).s;
      }
    }
    return s;
  }

  /// Parameters of a def (annotations allowed) or a lambda, up to ')' or ':'.
  void parameters(Arguments& a, bool lambda)
  {
    const auto atEnd = [&] {
      return lambda ? atOp(Op::Colon) : atOp(Op::RPar);
    };
    bool sawDefault = false, sawSlash = false, sawStar = false, bareStar = false;
    Pos bareStarPos;
    const auto param = [&](Arg& arg, bool allowAnnotation) {
      if (atOp(Op::LPar)) {
        syntaxError(lambda ? "Lambda expression parameters cannot be parenthesized"
                           : "Function parameters cannot be parenthesized",
                    cur().pos);
      }
      const Token n = expectName();
      arg.pos = n.pos;
      arg.name = name(n);
      if (allowAnnotation && !lambda && acceptOp(Op::Colon)) {
        arg.annotation = expression();
      }
    };
    while (!atEnd()) {
      if (a.kwarg) {
        syntaxError("arguments cannot follow var-keyword argument", cur().pos);
      }
      if (atOp(Op::Slash)) {
        if (sawSlash) {
          syntaxError("/ may appear only once", cur().pos);
        }
        if (sawStar) {
          syntaxError("/ must be ahead of *", cur().pos);
        }
        if (a.args.empty()) {
          if (!isOp(peek(), Op::Comma)) {
            invalidSyntax();
          }
          syntaxError("at least one argument must precede /", cur().pos);
        }
        sawSlash = true;
        advance();
        if (atOp(Op::Star)) {
          syntaxError("expected comma between / and *", cur().pos);
        }
      } else if (atOp(Op::Star)) {
        const Pos spos = cur().pos;
        if (sawStar) {
          syntaxError("* argument may appear only once", spos);
        }
        sawStar = true;
        advance();
        if (atOp(Op::Comma) || atEnd()) {
          bareStar = true;
          bareStarPos = spos;
        } else {
          Arg v;
          param(v, false);
          if (!lambda && acceptOp(Op::Colon)) {
            // PEP 646: `*args: *Ts`
            v.annotation = atOp(Op::Star) ? starTarget() : expression();
          }
          if (atOp(Op::Equal)) {
            syntaxError("var-positional argument cannot have default value", cur().pos);
          }
          a.vararg = std::move(v);
        }
      } else if (atOp(Op::DoubleStar)) {
        advance();
        Arg k;
        param(k, true);
        if (atOp(Op::Equal)) {
          syntaxError("var-keyword argument cannot have default value", cur().pos);
        }
        a.kwarg = std::move(k);
      } else {
        Arg p;
        param(p, true);
        const Pos ppos = p.pos;
        ExprPtr def;
        if (atOp(Op::Equal)) {
          const Pos eq = cur().pos;
          advance();
          if (atOp(Op::Comma) || atOp(Op::RPar) || (lambda && atOp(Op::Colon))) {
            syntaxError("expected default value expression", eq);
          }
          def = expression();
        }
        if (sawStar) {
          a.kwonlyargs.push_back(std::move(p));
          a.kw_defaults.push_back(std::move(def));
        } else {
          if (def) {
            sawDefault = true;
            a.defaults.push_back(std::move(def));
          } else if (sawDefault) {
            syntaxError("non-default argument follows default argument", ppos);
          }
          a.args.push_back(std::move(p));
        }
      }
      if (!acceptOp(Op::Comma)) {
        break;
      }
    }
    if (bareStar && a.kwonlyargs.empty()) {
      // CPython points at the '*' in a def, and at what follows it in a lambda.
      syntaxError("named arguments must follow bare *", lambda ? cur().pos : bareStarPos);
    }
  }

  StmtPtr classDef(std::vector<ExprPtr> decorators)
  {
    const Pos pos = cur().pos;
    advance();  // 'class'
    auto s = std::make_unique<ClassDefStmt>(pos);
    s->decorators = std::move(decorators);
    s->name = name(expectName());
    if (atOp(Op::LSqb)) {
      notSupported("type parameter lists", cur().pos);
    }
    if (atOp(Op::LPar)) {
      Brackets br(*this);
      advance();
      callArguments(s->bases, s->keywords, false);
    }
    expectColon();
    s->end_line = block(s->body, "class definition", pos.line);
    return s;
  }

  // ------------------------------------------------------------------ expressions

  static bool canStartExpression(const Token& t)
  {
    switch (t.kind) {
      case TokKind::Name:
        return t.kw == Kw::None || t.kw == Kw::NoneLit || t.kw == Kw::True || t.kw == Kw::False ||
               t.kw == Kw::Not || t.kw == Kw::Lambda || t.kw == Kw::Await;
      case TokKind::Number:
      case TokKind::String:
        return true;
      case TokKind::Op:
        switch (t.op) {
          case Op::LPar:
          case Op::LSqb:
          case Op::LBrace:
          case Op::Minus:
          case Op::Plus:
          case Op::Tilde:
          case Op::Ellipsis:
          case Op::Star:
            return true;
          default:
            return false;
        }
      default:
        return false;
    }
  }

  /// Inside brackets, an element is followed by something that is neither ',' nor the closing
  /// bracket: CPython's "Perhaps you forgot a comma?".
  [[noreturn]] void afterElement(const Expr& elem, std::size_t elemStartTok)
  {
    if (atOp(Op::Equal)) {
      assignmentInTest(elem);
    }
    const Token& t = cur();
    const Token& first = (*toks_)[elemStartTok];
    const bool nameThenString = first.kind == TokKind::Name && elemStartTok + 1 < toks_->size() &&
                                (*toks_)[elemStartTok + 1].kind == TokKind::String;
    const bool softKeyword =
        isPlainName(first) && (text(first) == "match" || text(first) == "case" ||
                               text(first) == "_" || text(first) == "type");
    if (brackets_ > 0 && canStartExpression(t) && !isOp(t, Op::Star) &&
        elem.kind != ExprKind::Lambda && elem.kind != ExprKind::IfExp &&
        elem.kind != ExprKind::Starred && !nameThenString && !softKeyword) {
      const Mark save = mark();
      bool ok = false;
      try {
        expression();
        ok = true;
      } catch (const Fail& f) {
        if (f.from_lexer) {
          throw;
        }
      }
      rollback(save);
      if (ok) {
        syntaxError("invalid syntax. Perhaps you forgot a comma?", elem.pos);
      }
    }
    invalidSyntax();
  }

  /// star_expressions: `a`, `a, b`, `*a, b` (an unparenthesized tuple).
  ExprPtr starExpressions()
  {
    const Pos pos = cur().pos;
    ExprPtr first = starExpression();
    if (!atOp(Op::Comma)) {
      return first;
    }
    std::uint32_t h = height_;
    auto t = std::make_unique<SequenceExpr>(ExprKind::Tuple, pos);
    t->elts.push_back(std::move(first));
    while (acceptOp(Op::Comma)) {
      if (!canStartExpression(cur())) {
        break;
      }
      t->elts.push_back(starExpression());
      h = std::max(h, height_);
    }
    return seal(std::move(t), h);
  }

  ExprPtr starExpression()
  {
    if (atOp(Op::Star)) {
      const Pos pos = cur().pos;
      advance();
      auto s = std::make_unique<StarredExpr>(pos);
      s->value = bitwiseOr();
      return seal(std::move(s), height_);
    }
    return expression();
  }

  ExprPtr starNamedExpression()
  {
    if (atOp(Op::Star)) {
      const Pos pos = cur().pos;
      advance();
      auto s = std::make_unique<StarredExpr>(pos);
      s->value = bitwiseOr();
      return seal(std::move(s), height_);
    }
    return namedExpression();
  }

  ExprPtr namedExpression()
  {
    if (atName() && isOp(peek(), Op::ColonEqual)) {
      const Token n = cur();
      advance();
      advance();
      auto target = std::make_unique<NameExpr>(n.pos);
      target->id = name(n);
      target->ctx = Ctx::Store;
      auto ne = std::make_unique<NamedExpr>(n.pos);
      ne->target = std::move(target);
      ne->value = expression();
      return seal(std::move(ne), std::max<std::uint32_t>(height_, 1));
    }
    ExprPtr e = expression();
    if (atOp(Op::ColonEqual)) {
      syntaxError(std::string("cannot use assignment expressions with ") + exprName(*e), e->pos);
    }
    return e;
  }

  ExprPtr expression()
  {
    Recursion guard(*this, cur().pos);
    if (atKw(Kw::Lambda)) {
      return lambdef();
    }
    const Pos start = cur().pos;
    ExprPtr body = disjunction();
    if (!atKw(Kw::If)) {
      return body;
    }
    std::uint32_t h = height_;
    advance();
    auto e = std::make_unique<IfExpExpr>(start);
    e->body = std::move(body);
    e->test = disjunction();
    h = std::max(h, height_);
    if (!atKw(Kw::Else)) {
      if (atOp(Op::Colon)) {
        invalidSyntax();
      }
      syntaxError("expected 'else' after 'if' expression", start);
    }
    advance();
    e->orelse = expression();
    h = std::max(h, height_);
    return seal(std::move(e), h);
  }

  ExprPtr lambdef()
  {
    const Pos pos = cur().pos;
    advance();
    auto l = std::make_unique<LambdaExpr>(pos);
    parameters(l->args, true);
    if (!atOp(Op::Colon)) {
      invalidSyntax();
    }
    advance();
    l->body = expression();
    return seal(std::move(l), height_);
  }

  ExprPtr disjunction() { return boolOp(Kw::Or, &Parser::conjunction); }

  ExprPtr conjunction() { return boolOp(Kw::And, &Parser::inversion); }

  // operand (kw operand)*: a BoolOpExpr when there is more than one operand.
  ExprPtr boolOp(Kw kw, ExprPtr (Parser::*operand)())
  {
    const Pos start = cur().pos;
    ExprPtr first = (this->*operand)();
    if (!atKw(kw)) {
      return first;
    }
    std::uint32_t h = height_;
    auto b = std::make_unique<BoolOpExpr>(start);
    b->is_and = kw == Kw::And;
    b->values.push_back(std::move(first));
    while (acceptKw(kw)) {
      b->values.push_back((this->*operand)());
      h = std::max(h, height_);
    }
    return seal(std::move(b), h);
  }

  ExprPtr inversion()
  {
    if (atKw(Kw::Not)) {
      const Pos pos = cur().pos;
      Recursion guard(*this, pos);
      advance();
      auto u = std::make_unique<UnaryOpExpr>(pos);
      u->op = UnaryOpKind::Not;
      u->operand = inversion();
      return seal(std::move(u), height_);
    }
    return comparison();
  }

  std::optional<CmpOpKind> compareOp()
  {
    const Token& t = cur();
    if (t.kind == TokKind::Op) {
      switch (t.op) {
        case Op::EqEqual:
          advance();
          return CmpOpKind::Eq;
        case Op::NotEqual:
          advance();
          return CmpOpKind::NotEq;
        case Op::Less:
          advance();
          return CmpOpKind::Lt;
        case Op::LessEqual:
          advance();
          return CmpOpKind::LtE;
        case Op::Greater:
          advance();
          return CmpOpKind::Gt;
        case Op::GreaterEqual:
          advance();
          return CmpOpKind::GtE;
        default:
          return std::nullopt;
      }
    }
    if (isKw(t, Kw::In)) {
      advance();
      return CmpOpKind::In;
    }
    if (isKw(t, Kw::Not) && isKw(peek(), Kw::In)) {
      advance();
      advance();
      return CmpOpKind::NotIn;
    }
    if (isKw(t, Kw::Is)) {
      advance();
      if (acceptKw(Kw::Not)) {
        return CmpOpKind::IsNot;
      }
      return CmpOpKind::Is;
    }
    return std::nullopt;
  }

  ExprPtr comparison()
  {
    const Pos start = cur().pos;
    ExprPtr left = bitwiseOr();
    auto op = compareOp();
    if (!op) {
      return left;
    }
    std::uint32_t h = height_;
    auto c = std::make_unique<CompareExpr>(start);
    c->left = std::move(left);
    while (op) {
      c->ops.push_back(*op);
      c->comparators.push_back(bitwiseOr());
      h = std::max(h, height_);
      op = compareOp();
    }
    return seal(std::move(c), h);
  }

  template <class Next, class Match>
  ExprPtr binaryLevel(Next next, Match match)
  {
    const Pos start = cur().pos;
    ExprPtr left = (this->*next)();
    std::uint32_t h = height_;
    while (const auto op = match(cur())) {
      advance();
      auto b = std::make_unique<BinOpExpr>(start);
      b->op = *op;
      b->left = std::move(left);
      b->right = (this->*next)();
      h = std::max(h, height_);
      left = seal(std::move(b), h);
      h = height_;
    }
    height_ = h;
    return left;
  }

  static std::optional<BinOpKind> opIf(const Token& t, Op op, BinOpKind k)
  {
    if (t.kind == TokKind::Op && t.op == op) {
      return k;
    }
    return std::nullopt;
  }

  ExprPtr bitwiseOr()
  {
    return binaryLevel(&Parser::bitwiseXor,
                       [](const Token& t) { return opIf(t, Op::VBar, BinOpKind::BitOr); });
  }
  ExprPtr bitwiseXor()
  {
    return binaryLevel(&Parser::bitwiseAnd,
                       [](const Token& t) { return opIf(t, Op::Circumflex, BinOpKind::BitXor); });
  }
  ExprPtr bitwiseAnd()
  {
    return binaryLevel(&Parser::shiftExpr,
                       [](const Token& t) { return opIf(t, Op::Amper, BinOpKind::BitAnd); });
  }
  ExprPtr shiftExpr()
  {
    return binaryLevel(&Parser::sum, [](const Token& t) -> std::optional<BinOpKind> {
      if (auto k = opIf(t, Op::LeftShift, BinOpKind::LShift)) {
        return k;
      }
      return opIf(t, Op::RightShift, BinOpKind::RShift);
    });
  }
  ExprPtr sum()
  {
    return binaryLevel(&Parser::term, [](const Token& t) -> std::optional<BinOpKind> {
      if (auto k = opIf(t, Op::Plus, BinOpKind::Add)) {
        return k;
      }
      return opIf(t, Op::Minus, BinOpKind::Sub);
    });
  }
  ExprPtr term()
  {
    return binaryLevel(&Parser::factor, [](const Token& t) -> std::optional<BinOpKind> {
      if (t.kind != TokKind::Op) {
        return std::nullopt;
      }
      switch (t.op) {
        case Op::Star:
          return BinOpKind::Mult;
        case Op::Slash:
          return BinOpKind::Div;
        case Op::DoubleSlash:
          return BinOpKind::FloorDiv;
        case Op::Percent:
          return BinOpKind::Mod;
        case Op::At:
          return BinOpKind::MatMult;
        default:
          return std::nullopt;
      }
    });
  }

  ExprPtr factor()
  {
    const Token& t = cur();
    if (t.kind == TokKind::Op && (t.op == Op::Plus || t.op == Op::Minus || t.op == Op::Tilde)) {
      const Pos pos = t.pos;
      const UnaryOpKind k = t.op == Op::Plus    ? UnaryOpKind::UAdd
                            : t.op == Op::Minus ? UnaryOpKind::USub
                                                : UnaryOpKind::Invert;
      Recursion guard(*this, pos);
      advance();
      auto u = std::make_unique<UnaryOpExpr>(pos);
      u->op = k;
      u->operand = factor();
      return seal(std::move(u), height_);
    }
    return power();
  }

  ExprPtr power()
  {
    const Pos start = cur().pos;
    ExprPtr base = awaitPrimary();
    if (!atOp(Op::DoubleStar)) {
      return base;
    }
    std::uint32_t h = height_;
    Recursion guard(*this, cur().pos);
    advance();
    auto b = std::make_unique<BinOpExpr>(start);
    b->op = BinOpKind::Pow;
    b->left = std::move(base);
    b->right = factor();
    return seal(std::move(b), std::max(h, height_));
  }

  ExprPtr awaitPrimary()
  {
    if (atKw(Kw::Await)) {
      const Pos pos = cur().pos;
      advance();
      auto a = std::make_unique<AwaitExpr>(pos);
      a->value = primary();
      return seal(std::move(a), height_);
    }
    return primary();
  }

  ExprPtr primary()
  {
    const Pos start = cur().pos;
    ExprPtr e = atom();
    std::uint32_t h = height_;
    for (;;) {
      const Token& t = cur();
      if (isOp(t, Op::Dot)) {
        advance();
        const Token n = expectName();
        auto a = std::make_unique<AttributeExpr>(start);
        a->value = std::move(e);
        a->attr = name(n);
        e = seal(std::move(a), h);
        h = height_;
      } else if (isOp(t, Op::LPar)) {
        Brackets br(*this);
        const Pos lpar = t.pos;
        advance();
        auto c = std::make_unique<CallExpr>(start);
        c->func = std::move(e);
        const std::uint32_t ch = callArguments(c->args, c->keywords, true, lpar);
        e = seal(std::move(c), std::max(h, ch));
        h = height_;
      } else if (isOp(t, Op::LSqb)) {
        Brackets br(*this);
        advance();
        auto s = std::make_unique<SubscriptExpr>(start);
        s->value = std::move(e);
        s->index = slices();
        const std::uint32_t ih = height_;
        expectOp(Op::RSqb);
        e = seal(std::move(s), std::max(h, ih));
        h = height_;
      } else {
        break;
      }
    }
    height_ = h;
    return e;
  }

  /// Arguments after '(' up to and including ')'. Returns the height of the tallest argument.
  std::uint32_t callArguments(std::vector<ExprPtr>& args, std::vector<Keyword>& keywords,
                              bool allowGenexp, Pos lpar = {})
  {
    std::uint32_t h = 0;
    bool sawKeyword = false, sawDoubleStar = false;
    const char* positionalError = nullptr;
    while (!atOp(Op::RPar)) {
      const Token& t = cur();
      const std::size_t startTok = p_;
      if (isOp(t, Op::Star)) {
        const Pos pos = t.pos;
        if (sawDoubleStar) {
          syntaxError("iterable argument unpacking follows keyword argument unpacking", pos);
        }
        advance();
        auto s = std::make_unique<StarredExpr>(pos);
        s->value = expression();
        args.push_back(seal(std::move(s), height_));
        h = std::max(h, height_);
      } else if (isOp(t, Op::DoubleStar)) {
        Keyword k;
        k.pos = t.pos;
        advance();
        k.value = expression();
        h = std::max(h, height_);
        keywords.push_back(std::move(k));
        sawDoubleStar = true;
      } else if (isPlainName(t) && isOp(peek(), Op::Equal)) {
        Keyword k;
        k.pos = t.pos;
        k.arg = name(t);
        advance();
        advance();
        k.value = expression();
        h = std::max(h, height_);
        keywords.push_back(std::move(k));
        sawKeyword = true;
        if (!atOp(Op::Comma) && !atOp(Op::RPar)) {
          afterElement(*keywords.back().value, startTok + 2);
        }
      } else {
        ExprPtr e = namedExpression();
        if (atOp(Op::Equal)) {
          if (e->kind == ExprKind::Constant &&
              (isConst(*e, ConstKind::True) || isConst(*e, ConstKind::False) ||
               isConst(*e, ConstKind::None))) {
            syntaxError(std::string("cannot assign to ") + exprName(*e), e->pos);
          }
          syntaxError("expression cannot contain assignment, perhaps you meant \"==\"?", e->pos);
        }
        if (atKw(Kw::For) || atKw(Kw::Async)) {
          if (!allowGenexp) {
            invalidSyntax();
          }
          const bool sole = args.empty() && keywords.empty();
          const Pos eltPos = e->pos;
          ExprPtr g = comprehension(ExprKind::GeneratorExp, lpar, std::move(e), nullptr);
          if (!sole || atOp(Op::Comma)) {
            syntaxError("Generator expression must be parenthesized", eltPos);
          }
          if (!atOp(Op::RPar)) {
            invalidSyntax();
          }
          h = std::max(h, height_);
          args.push_back(std::move(g));
          break;
        }
        if (!positionalError && (sawDoubleStar || sawKeyword)) {
          // CPython reports it where the arguments end.
          positionalError = sawDoubleStar ? "positional argument follows keyword argument unpacking"
                                          : "positional argument follows keyword argument";
        }
        h = std::max(h, height_);
        args.push_back(std::move(e));
        if (!atOp(Op::Comma) && !atOp(Op::RPar)) {
          afterElement(*args.back(), startTok);
        }
      }
      if (!acceptOp(Op::Comma)) {
        break;
      }
    }
    if (positionalError) {
      syntaxError(positionalError, cur().pos);
    }
    expectOp(Op::RPar);
    return h;
  }

  /// Inside '[' ... ']' of a subscript.
  ExprPtr slices()
  {
    const Pos pos = cur().pos;
    ExprPtr first = sliceItem();
    if (!atOp(Op::Comma) && first->kind != ExprKind::Starred) {
      return first;
    }
    std::uint32_t h = height_;
    auto t = std::make_unique<SequenceExpr>(ExprKind::Tuple, pos);
    t->elts.push_back(std::move(first));
    while (acceptOp(Op::Comma)) {
      if (atOp(Op::RSqb)) {
        break;
      }
      t->elts.push_back(sliceItem());
      h = std::max(h, height_);
    }
    return seal(std::move(t), h);
  }

  ExprPtr sliceItem()
  {
    const Pos pos = cur().pos;
    if (atOp(Op::Star)) {
      advance();
      auto s = std::make_unique<StarredExpr>(pos);
      s->value = bitwiseOr();
      return seal(std::move(s), height_);
    }
    ExprPtr lower;
    std::uint32_t h = 0;
    if (!atOp(Op::Colon)) {
      lower = namedExpression();
      if (!atOp(Op::Colon)) {
        return lower;
      }
      h = height_;
    }
    auto s = std::make_unique<SliceExpr>(pos);
    s->lower = std::move(lower);
    advance();  // ':'
    const auto boundary = [&] {
      return atOp(Op::Colon) || atOp(Op::Comma) || atOp(Op::RSqb);
    };
    if (!boundary()) {
      s->upper = expression();
      h = std::max(h, height_);
    }
    if (acceptOp(Op::Colon)) {
      if (!atOp(Op::Comma) && !atOp(Op::RSqb)) {
        s->step = expression();
        h = std::max(h, height_);
      }
    }
    return seal(std::move(s), h);
  }

  ExprPtr atom()
  {
    const Token& t = cur();
    const Pos pos = t.pos;
    switch (t.kind) {
      case TokKind::Name:
        switch (t.kw) {
          case Kw::None: {
            auto n = std::make_unique<NameExpr>(pos);
            n->id = name(t);
            advance();
            return leaf(std::move(n));
          }
          case Kw::NoneLit:
          case Kw::True:
          case Kw::False: {
            auto c = std::make_unique<ConstantExpr>(pos);
            c->value_kind = t.kw == Kw::NoneLit ? ConstKind::None
                            : t.kw == Kw::True  ? ConstKind::True
                                                : ConstKind::False;
            advance();
            return leaf(std::move(c));
          }
          default:
            invalidSyntax();
        }
      case TokKind::Number:
        return leaf(number());
      case TokKind::String:
        return strings();
      case TokKind::Op:
        switch (t.op) {
          case Op::LPar:
            return parenthesized();
          case Op::LSqb:
            return listDisplay();
          case Op::LBrace:
            return braceDisplay();
          case Op::Ellipsis: {
            auto c = std::make_unique<ConstantExpr>(pos);
            c->value_kind = ConstKind::Ellipsis;
            advance();
            return leaf(std::move(c));
          }
          default:
            break;
        }
        break;
      default:
        break;
    }
    invalidSyntax();
  }

  ExprPtr parenthesized()
  {
    Brackets br(*this);
    const Pos pos = cur().pos;
    advance();
    if (atOp(Op::RPar)) {
      advance();
      auto t = std::make_unique<SequenceExpr>(ExprKind::Tuple, pos);
      t->parenthesized = true;
      return leaf(std::move(t));
    }
    if (atKw(Kw::Yield)) {
      notSupported("generators ('yield')", cur().pos);
    }
    return parenthesizedBody(pos, true);
  }

  /// The inside of `( ... )` after '(' (also the expression of an f-string replacement field,
  /// with closeParen false: then it ends at the end of the tokens).
  ExprPtr parenthesizedBody(Pos pos, bool closeParen)
  {
    const std::size_t startTok = p_;
    ExprPtr first = starNamedExpression();
    std::uint32_t h = height_;
    const auto atClose = [&] {
      return closeParen ? atOp(Op::RPar) : cur().kind == TokKind::EndMarker;
    };
    if (atKw(Kw::For) || atKw(Kw::Async)) {
      if (first->kind == ExprKind::Starred) {
        syntaxError("iterable unpacking cannot be used in comprehension", first->pos);
      }
      ExprPtr g = comprehension(ExprKind::GeneratorExp, pos, std::move(first), nullptr);
      if (closeParen) {
        expectOp(Op::RPar);
      }
      return g;
    }
    if (atClose()) {
      if (first->kind == ExprKind::Starred) {
        syntaxError("cannot use starred expression here", first->pos);
      }
      if (closeParen) {
        advance();
      }
      parenthesized_.insert(first.get());
      parenthesizedLog_.push_back(first.get());
      height_ = h;
      return first;
    }
    if (!atOp(Op::Comma)) {
      afterElement(*first, startTok);
    }
    auto t = std::make_unique<SequenceExpr>(ExprKind::Tuple, pos);
    t->parenthesized = closeParen;
    t->elts.push_back(std::move(first));
    while (acceptOp(Op::Comma)) {
      if (atClose()) {
        break;
      }
      const std::size_t elemTok = p_;
      t->elts.push_back(starNamedExpression());
      h = std::max(h, height_);
      if (closeParen && atComprehension()) {
        comprehensionTargetError(*t);
      }
      if (!atOp(Op::Comma) && !atClose()) {
        afterElement(*t->elts.back(), elemTok);
      }
    }
    if (!atClose()) {
      invalidSyntax();
    }
    if (closeParen) {
      advance();
    }
    return seal(std::move(t), h);
  }

  ExprPtr listDisplay()
  {
    Brackets br(*this);
    const Pos pos = cur().pos;
    advance();
    auto l = std::make_unique<SequenceExpr>(ExprKind::List, pos);
    if (acceptOp(Op::RSqb)) {
      return leaf(std::move(l));
    }
    std::size_t elemTok = p_;
    ExprPtr first = starNamedExpression();
    std::uint32_t h = height_;
    if (atKw(Kw::For) || atKw(Kw::Async)) {
      if (first->kind == ExprKind::Starred) {
        syntaxError("iterable unpacking cannot be used in comprehension", first->pos);
      }
      ExprPtr c = comprehension(ExprKind::ListComp, pos, std::move(first), nullptr);
      expectOp(Op::RSqb);
      return c;
    }
    l->elts.push_back(std::move(first));
    displayElements(*l, Op::RSqb, elemTok, h);
    return seal(std::move(l), h);
  }

  bool atComprehension() { return atKw(Kw::For) || (atKw(Kw::Async) && isKw(peek(), Kw::For)); }

  [[noreturn]] void comprehensionTargetError(const SequenceExpr& seq)
  {
    syntaxError("did you forget parentheses around the comprehension target?",
                seq.elts.front()->pos);
  }

  /// The elements of a list or set display after the first one, and the closing bracket.
  void displayElements(SequenceExpr& seq, Op close, std::size_t elemTok, std::uint32_t& h)
  {
    for (;;) {
      if (atComprehension()) {
        comprehensionTargetError(seq);
      }
      if (!atOp(Op::Comma) && !atOp(close)) {
        afterElement(*seq.elts.back(), elemTok);
      }
      if (!acceptOp(Op::Comma) || atOp(close)) {
        break;
      }
      if (atComprehension()) {
        comprehensionTargetError(seq);
      }
      elemTok = p_;
      seq.elts.push_back(starNamedExpression());
      h = std::max(h, height_);
    }
    expectOp(close);
  }

  ExprPtr braceDisplay()
  {
    Brackets br(*this);
    const Pos pos = cur().pos;
    advance();
    if (acceptOp(Op::RBrace)) {
      return leaf(std::make_unique<DictExpr>(pos));
    }
    std::size_t elemTok = p_;
    if (atOp(Op::DoubleStar)) {
      return dictDisplay(pos, nullptr);
    }
    ExprPtr first = starNamedExpression();
    std::uint32_t h = height_;
    if (atOp(Op::Colon) && first->kind != ExprKind::Starred &&
        (first->kind != ExprKind::NamedExpr || parenthesized_.count(first.get()) != 0)) {
      return dictDisplay(pos, std::move(first));
    }
    if (atKw(Kw::For) || atKw(Kw::Async)) {
      if (first->kind == ExprKind::Starred) {
        syntaxError("iterable unpacking cannot be used in comprehension", first->pos);
      }
      ExprPtr c = comprehension(ExprKind::SetComp, pos, std::move(first), nullptr);
      expectOp(Op::RBrace);
      return c;
    }
    auto s = std::make_unique<SequenceExpr>(ExprKind::Set, pos);
    s->elts.push_back(std::move(first));
    displayElements(*s, Op::RBrace, elemTok, h);
    return seal(std::move(s), h);
  }

  /// After '{' (and the first key, when given, with the cursor on its ':').
  ExprPtr dictDisplay(Pos pos, ExprPtr firstKey)
  {
    auto d = std::make_unique<DictExpr>(pos);
    std::uint32_t h = firstKey ? height_ : 0;
    bool first = true;
    for (;;) {
      const std::size_t elemTok = p_;
      if (first && firstKey) {
        d->keys.push_back(std::move(firstKey));
        d->values.push_back(dictValue());
        h = std::max(h, height_);
        if (atKw(Kw::For) || atKw(Kw::Async)) {
          ExprPtr key = std::move(d->keys.back());
          ExprPtr value = std::move(d->values.back());
          ExprPtr c = comprehension(ExprKind::DictComp, pos, std::move(key), std::move(value));
          expectOp(Op::RBrace);
          return c;
        }
      } else if (atOp(Op::DoubleStar)) {
        advance();
        d->keys.push_back(nullptr);
        d->values.push_back(bitwiseOr());
        h = std::max(h, height_);
      } else {
        ExprPtr key = expression();
        h = std::max(h, height_);
        if (!atOp(Op::Colon)) {
          if (atOp(Op::Comma) || atOp(Op::RBrace)) {
            syntaxError("':' expected after dictionary key", key->pos);
          }
          afterElement(*key, elemTok);
        }
        d->keys.push_back(std::move(key));
        d->values.push_back(dictValue());
        h = std::max(h, height_);
      }
      first = false;
      if (!atOp(Op::Comma) && !atOp(Op::RBrace)) {
        afterElement(*d->values.back(), elemTok);
      }
      if (!acceptOp(Op::Comma) || atOp(Op::RBrace)) {
        break;
      }
    }
    expectOp(Op::RBrace);
    return seal(std::move(d), h);
  }

  /// At the ':' after a dictionary key.
  ExprPtr dictValue()
  {
    const Pos colon = cur().pos;
    advance();
    if (atOp(Op::Star)) {
      syntaxError("cannot use a starred expression in a dictionary value", cur().pos);
    }
    if (atOp(Op::Comma) || atOp(Op::RBrace)) {
      syntaxError("expression expected after dictionary key and ':'", colon);
    }
    return expression();
  }

  /// The `for ... in ... if ...` clauses after the element.
  ExprPtr comprehension(ExprKind kind, Pos pos, ExprPtr elt, ExprPtr value)
  {
    std::uint32_t h = height_;
    auto c = std::make_unique<ComprehensionExpr>(kind, pos);
    c->elt = std::move(elt);
    c->value = std::move(value);
    while (atKw(Kw::For) || atKw(Kw::Async)) {
      Comprehension g;
      if (acceptKw(Kw::Async)) {
        g.is_async = true;
        if (!atKw(Kw::For)) {
          invalidSyntax();
        }
      }
      advance();  // 'for'
      g.target = forTargets();
      h = std::max(h, height_);
      if (!acceptKw(Kw::In)) {
        invalidSyntax();
      }
      g.iter = disjunction();
      h = std::max(h, height_);
      while (acceptKw(Kw::If)) {
        g.ifs.push_back(disjunction());
        h = std::max(h, height_);
      }
      c->generators.push_back(std::move(g));
    }
    return seal(std::move(c), h);
  }

  // ------------------------------------------------------------------ numbers

  ExprPtr number()
  {
    const Token t = cur();
    advance();
    std::string s;
    for (char ch : text(t)) {
      if (ch != '_') {
        s += ch;
      }
    }
    auto c = std::make_unique<ConstantExpr>(t.pos);
    const char last = s.back();
    if (last == 'j' || last == 'J') {
      notSupported("complex numbers", t.pos);
    }
    int base = 10;
    std::size_t skip = 0;
    if (s.size() > 1 && s[0] == '0') {
      const char p = static_cast<char>(s[1] | 0x20);
      if (p == 'x') {
        base = 16;
      } else if (p == 'o') {
        base = 8;
      } else if (p == 'b') {
        base = 2;
      }
      if (base != 10) {
        skip = 2;
      }
    }
    const bool isFloat = base == 10 && s.find_first_of(".eE") != std::string::npos;
    if (isFloat) {
      double d = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (r.ec == std::errc::result_out_of_range) {
        // Python: overflow gives inf, underflow gives 0.0
        const auto e = s.find_first_of("eE");
        d = (e != std::string::npos && s[e + 1] == '-') ? 0.0
                                                        : std::numeric_limits<double>::infinity();
      }
      c->value_kind = ConstKind::Float;
      c->f = d;
      return c;
    }
    std::uint64_t v = 0;
    const auto r = std::from_chars(s.data() + skip, s.data() + s.size(), v, base);
    if (r.ec == std::errc::result_out_of_range ||
        v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      notSupported("integers beyond 64 bits", t.pos);
    }
    c->value_kind = ConstKind::Int;
    c->i = static_cast<std::int64_t>(v);
    return c;
  }

  // ------------------------------------------------------------------ strings

  StringPrefix prefixOf(const Token& t) const
  {
    StringPrefix p;
    const std::string_view s = text(t);
    std::size_t i = 0;
    while (i < s.size() && s[i] != '\'' && s[i] != '"') {
      switch (s[i] | 0x20) {
        case 'r':
          p.raw = true;
          break;
        case 'b':
          p.bytes = true;
          break;
        case 'f':
          p.fstring = true;
          break;
        default:
          break;
      }
      ++i;
    }
    p.prefix_len = static_cast<std::uint32_t>(i);
    if (i + 2 < s.size() && s[i + 1] == s[i] && s[i + 2] == s[i] && s.size() - i >= 6) {
      p.quote_len = 3;
    }
    return p;
  }

  /// Adjacent string literals: a Constant (str or bytes) or, with an f-string among them, a
  /// JoinedStr.
  ExprPtr strings()
  {
    std::vector<Token> toks;
    while (cur().kind == TokKind::String) {
      toks.push_back(cur());
      advance();
    }
    const Pos pos = toks.front().pos;
    bool anyF = false, anyBytes = false;
    std::vector<StringPrefix> prefixes;
    for (const Token& t : toks) {
      const StringPrefix p = prefixOf(t);
      prefixes.push_back(p);
      anyF = anyF || p.fstring;
      anyBytes = anyBytes || p.bytes;
    }
    if (anyBytes) {
      std::string out;
      for (std::size_t k = 0; k < toks.size(); ++k) {
        const Token& t = toks[k];
        const StringPrefix& p = prefixes[k];
        const std::uint32_t b = t.begin + p.prefix_len + p.quote_len;
        const std::uint32_t e = t.end - p.quote_len;
        if (p.bytes) {
          for (std::uint32_t i = b; i < e; ++i) {
            if (static_cast<unsigned char>(src_[i]) >= 0x80) {
              syntaxError("bytes can only contain ASCII literal characters", t.pos);
            }
          }
        }
        if (p.bytes != prefixes[0].bytes) {
          // CPython 3.11 reports it at the token after the literals.
          syntaxError("cannot mix bytes and nonbytes literals", cur().pos);
        }
        decodeLiteral(b, e, p.raw, true, t, out);
      }
      auto c = std::make_unique<ConstantExpr>(pos);
      c->value_kind = ConstKind::Bytes;
      c->s = std::move(out);
      return leaf(std::move(c));
    }
    if (!anyF) {
      auto c = std::make_unique<ConstantExpr>(pos);
      c->value_kind = ConstKind::Str;
      for (std::size_t k = 0; k < toks.size(); ++k) {
        const Token& t = toks[k];
        const StringPrefix& p = prefixes[k];
        decodeLiteral(t.begin + p.prefix_len + p.quote_len, t.end - p.quote_len, p.raw, false, t,
                      c->s);
      }
      return leaf(std::move(c));
    }
    auto js = std::make_unique<JoinedStrExpr>(pos);
    std::string literal;
    std::uint32_t h = 0;
    for (std::size_t k = 0; k < toks.size(); ++k) {
      const Token& t = toks[k];
      const StringPrefix& p = prefixes[k];
      const std::uint32_t b = t.begin + p.prefix_len + p.quote_len;
      const std::uint32_t e = t.end - p.quote_len;
      if (!p.fstring) {
        decodeLiteral(b, e, p.raw, false, t, literal);
        continue;
      }
      std::uint32_t i = b;
      h = std::max(h, fstring(i, e, p.raw, 0, t, pos, js->values, literal));
    }
    flushLiteral(js->values, literal, pos);
    return seal(std::move(js), h);
  }

  void flushLiteral(std::vector<ExprPtr>& values, std::string& literal, Pos pos)
  {
    if (literal.empty()) {
      return;
    }
    auto c = std::make_unique<ConstantExpr>(pos);
    c->value_kind = ConstKind::Str;
    c->s = std::move(literal);
    literal.clear();
    values.push_back(std::move(c));
  }

  /// Decodes the literal text src_[b, e) of a string token into out.
  void decodeLiteral(std::uint32_t b, std::uint32_t e, bool raw, bool bytes, const Token& tok,
                     std::string& out)
  {
    if (raw) {
      out.append(src_.substr(b, e - b));
      return;
    }
    std::uint32_t i = b;
    while (i < e) {
      const char c = src_[i];
      if (c != '\\') {
        out += c;
        ++i;
        continue;
      }
      const std::uint32_t bs = i;
      if (i + 1 >= e) {
        out += '\\';
        ++i;
        continue;
      }
      const char n = src_[i + 1];
      i += 2;
      switch (n) {
        case '\n':
          break;
        case '\\':
          out += '\\';
          break;
        case '\'':
          out += '\'';
          break;
        case '"':
          out += '"';
          break;
        case 'a':
          out += '\a';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'v':
          out += '\v';
          break;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7': {
          std::uint32_t v = static_cast<std::uint32_t>(n - '0');
          for (int k = 0; k < 2 && i < e && src_[i] >= '0' && src_[i] <= '7'; ++k, ++i) {
            v = v * 8 + static_cast<std::uint32_t>(src_[i] - '0');
          }
          if (bytes) {
            out += static_cast<char>(v & 0xFF);
          } else {
            py::append_cp(out, v);
          }
          break;
        }
        case 'x':
        case 'u':
        case 'U': {
          if (bytes && n != 'x') {
            out += '\\';
            out += n;
            break;
          }
          const int digits = n == 'x' ? 2 : n == 'u' ? 4 : 8;
          std::uint32_t v = 0;
          int k = 0;
          for (; k < digits && i < e && hexValue(src_[i]) >= 0; ++k, ++i) {
            v = v * 16 + static_cast<std::uint32_t>(hexValue(src_[i]));
          }
          const std::uint32_t off = bs - b;
          if (k < digits) {
            if (bytes) {
              syntaxError("(value error) invalid \\x escape at position " + std::to_string(off),
                          cur().pos);
            }
            const char* what = n == 'x'   ? "truncated \\xXX escape"
                               : n == 'u' ? "truncated \\uXXXX escape"
                                          : "truncated \\UXXXXXXXX escape";
            syntaxError("(unicode error) 'unicodeescape' codec can't decode bytes in position " +
                            std::to_string(off) + "-" + std::to_string(i - 1 - b) + ": " + what,
                        cur().pos);
          }
          if (bytes) {
            out += static_cast<char>(v);
          } else if (v > 0x10FFFF) {
            syntaxError("(unicode error) 'unicodeescape' codec can't decode bytes in position " +
                            std::to_string(off) + "-" + std::to_string(i - 1 - b) +
                            ": illegal Unicode character",
                        cur().pos);
          } else if (v >= 0xD800 && v <= 0xDFFF) {
            notSupported("surrogate code points in strings", tok.pos);
          } else {
            py::append_cp(out, v);
          }
          break;
        }
        case 'N':
          if (!bytes) {
            notSupported("\\N{...} escapes", tok.pos);
          }
          [[fallthrough]];
        default:
          out += '\\';
          out += n;
          break;
      }
    }
  }

  /// CPython 3.11 reports errors found while scanning an f-string at the token after the string
  /// literals (it scans them after the parser has looked ahead).
  Pos fstringErrorPos() { return cur().pos; }

  /// An f-string's text from `i` (CPython 3.11's fstring_find_literal_and_expr loop): literal
  /// text goes to `literal`, replacement fields to `values`. At recursion level 0 it runs to
  /// `end`; in a format spec (level 1) it stops at the closing '}'. Returns the height of the
  /// tallest replacement field.
  std::uint32_t fstring(std::uint32_t& i, std::uint32_t end, bool raw, int level, const Token& tok,
                        Pos jsPos, std::vector<ExprPtr>& values, std::string& literal)
  {
    std::uint32_t h = 0;
    for (;;) {
      // literal text
      const std::uint32_t litStart = i;
      std::uint32_t s = i;
      bool doubled = false;
      while (s < end) {
        char ch = src_[s++];
        if (!raw && ch == '\\' && s < end) {
          ch = src_[s++];
          if (ch == 'N') {
            notSupported("\\N{...} escapes", posOfOffset(s - 2));
          }
        }
        if (ch == '{' || ch == '}') {
          if (level == 0) {
            if (s < end && src_[s] == ch) {
              doubled = true;
              break;
            }
            if (ch == '}') {
              syntaxError("f-string: single '}' is not allowed", fstringErrorPos());
            }
          }
          --s;
          break;
        }
      }
      decodeLiteral(litStart, s, raw, false, tok, literal);
      if (doubled) {
        i = s + 1;
        continue;
      }
      i = s;
      if (i >= end || src_[i] == '}') {
        break;
      }
      // a replacement field at '{'
      if (level >= 2) {
        syntaxError("f-string: expressions nested too deeply", fstringErrorPos());
      }
      h = std::max(h, replacementField(i, end, raw, level, tok, jsPos, values, literal));
    }
    if (level != 0 && (i >= end || src_[i] != '}')) {
      syntaxError("f-string: expecting '}'", fstringErrorPos());
    }
    return h;
  }

  std::uint32_t replacementField(std::uint32_t& i, std::uint32_t end, bool raw, int level,
                                 const Token& tok, Pos jsPos, std::vector<ExprPtr>& values,
                                 std::string& literal)
  {
    ++i;
    const std::uint32_t exprStart = i;
    char quote = 0;
    int quoteLen = 0;
    std::vector<std::uint32_t> stack;
    for (; i < end; ++i) {
      const char ch = src_[i];
      if (ch == '\\') {
        syntaxError("f-string expression part cannot include a backslash", fstringErrorPos());
      }
      if (quote != 0) {
        if (ch == quote) {
          if (quoteLen == 3) {
            if (i + 2 < end && src_[i + 1] == ch && src_[i + 2] == ch) {
              i += 2;
              quote = 0;
            }
          } else {
            quote = 0;
          }
        }
        continue;
      }
      if (ch == '\'' || ch == '"') {
        if (i + 2 < end && src_[i + 1] == ch && src_[i + 2] == ch) {
          quoteLen = 3;
          i += 2;
        } else {
          quoteLen = 1;
        }
        quote = ch;
      } else if (ch == '[' || ch == '{' || ch == '(') {
        if (stack.size() >= 200) {
          syntaxError("f-string: too many nested parenthesis", fstringErrorPos());
        }
        stack.push_back(i);
      } else if (ch == '#') {
        syntaxError("f-string expression part cannot include '#'", fstringErrorPos());
      } else if (stack.empty() &&
                 (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
        if (i + 1 < end) {
          const char next = src_[i + 1];
          if ((ch == '!' && next == '=') || (ch == '=' && next == '=') ||
              (ch == '<' && next == '=') || (ch == '>' && next == '=')) {
            ++i;
            continue;
          }
        }
        if (ch == '>' || ch == '<') {
          continue;
        }
        break;
      } else if (ch == ']' || ch == '}' || ch == ')') {
        if (stack.empty()) {
          syntaxError(std::string("f-string: unmatched '") + ch + "'", fstringErrorPos());
        }
        const char opening = src_[stack.back()];
        stack.pop_back();
        if (!((opening == '(' && ch == ')') || (opening == '[' && ch == ']') ||
              (opening == '{' && ch == '}'))) {
          syntaxError(std::string("f-string: closing parenthesis '") + ch +
                          "' does not match opening parenthesis '" + opening + "'",
                      fstringErrorPos());
        }
      }
    }
    const std::uint32_t exprEnd = i;
    if (quote != 0) {
      syntaxError("f-string: unterminated string", fstringErrorPos());
    }
    if (!stack.empty()) {
      syntaxError(std::string("f-string: unmatched '") + src_[stack.back()] + "'",
                  fstringErrorPos());
    }
    if (i >= end) {
      syntaxError("f-string: expecting '}'", fstringErrorPos());
    }
    // the expression
    std::uint32_t k = exprStart;
    while (k < exprEnd &&
           (src_[k] == ' ' || src_[k] == '\t' || src_[k] == '\n' || src_[k] == '\f')) {
      ++k;
    }
    if (k == exprEnd) {
      const char c = src_[exprEnd];
      if (c == '!' || c == ':' || c == '=') {
        syntaxError(std::string("f-string: expression required before '") + c + "'",
                    fstringErrorPos());
      }
      syntaxError("f-string: empty expression not allowed", fstringErrorPos());
    }
    auto fv = std::make_unique<FormattedValueExpr>(jsPos);
    fv->value = fieldExpression(exprStart, exprEnd);
    std::uint32_t h = height_;
    // `=`: the expression's text, the '=' and the whitespace after it
    bool selfDoc = false;
    if (src_[i] == '=') {
      ++i;
      while (i < end && (src_[i] == ' ' || src_[i] == '\t' || src_[i] == '\n' || src_[i] == '\f' ||
                         src_[i] == '\r' || src_[i] == '\v')) {
        ++i;
      }
      if (i >= end) {
        syntaxError("f-string: expecting '}'", fstringErrorPos());
      }
      literal.append(src_.substr(exprStart, i - exprStart));
      selfDoc = true;
    }
    if (src_[i] == '!') {
      ++i;
      if (i >= end) {
        syntaxError("f-string: expecting '}'", fstringErrorPos());
      }
      const char conv = src_[i];
      if (conv != 's' && conv != 'r' && conv != 'a') {
        syntaxError("f-string: invalid conversion character: expected 's', 'r', or 'a'",
                    fstringErrorPos());
      }
      fv->conversion = conv;
      ++i;
    }
    if (i < end && src_[i] == ':') {
      ++i;
      if (i >= end) {
        syntaxError("f-string: expecting '}'", fstringErrorPos());
      }
      // CPython 3.11 gives the spec (and its last literal) the position of its own token.
      auto spec = std::make_unique<JoinedStrExpr>(tok.pos);
      std::string specLiteral;
      const std::uint32_t sh =
          fstring(i, end, raw, level + 1, tok, jsPos, spec->values, specLiteral);
      flushLiteral(spec->values, specLiteral, tok.pos);
      fv->format_spec = seal(std::move(spec), sh);
      h = std::max(h, height_);
    }
    if (i >= end || src_[i] != '}') {
      syntaxError("f-string: expecting '}'", fstringErrorPos());
    }
    ++i;
    if (selfDoc && fv->conversion == 0 && !fv->format_spec) {
      fv->conversion = 'r';
    }
    flushLiteral(values, literal, jsPos);
    values.push_back(seal(std::move(fv), h));
    return height_;
  }

  /// Parses src_[b, e) as the expression of a replacement field: as if in parentheses, with
  /// positions in the file. Syntax errors get CPython 3.11's "f-string: " prefix.
  ExprPtr fieldExpression(std::uint32_t b, std::uint32_t e)
  {
    Recursion guard(*this, posOfOffset(b));
    const LexResult sub = tokenizeRegion(src_, b, e, posOfOffset(b), filename_);
    const LexResult* savedLex = lex_;
    const std::vector<Token>* savedToks = toks_;
    const std::size_t savedP = p_;
    const Pos savedEnd = lastEnd_;
    const std::uint32_t savedBrackets = brackets_;
    lex_ = &sub;
    toks_ = &sub.tokens;
    p_ = 0;
    brackets_ = 1;
    ExprPtr result;
    try {
      if (atKw(Kw::Yield)) {
        notSupported("generators ('yield')", cur().pos);
      }
      // CPython 3.11 parses "(expr)" with the '(' at the '{'.
      result = parenthesizedBody(posOfOffset(b - 1), false);
      if (cur().kind != TokKind::EndMarker) {
        invalidSyntax();
      }
    } catch (Fail& f) {
      lex_ = savedLex;
      toks_ = savedToks;
      p_ = savedP;
      lastEnd_ = savedEnd;
      brackets_ = savedBrackets;
      // CPython 3.11 prefixes the parser's errors, not the tokenizer's.
      if (f.error.kind != Kind::NotSupported && !f.from_lexer &&
          f.error.message.compare(0, 9, "f-string:") != 0 &&
          f.error.message.compare(0, 9, "f-string ") != 0) {
        f.error.message = "f-string: " + f.error.message;
      }
      f.from_lexer = false;
      f.final = false;
      throw;
    }
    const std::uint32_t h = height_;
    lex_ = savedLex;
    toks_ = savedToks;
    p_ = savedP;
    lastEnd_ = savedEnd;
    brackets_ = savedBrackets;
    height_ = h;
    return result;
  }

  // ------------------------------------------------------------------ state

  std::string_view src_;
  const std::string& filename_;
  const LexResult* mainLex_;
  const LexResult* lex_;
  const std::vector<Token>* toks_;
  const std::vector<std::uint32_t>& lineStarts_;
  std::size_t p_ = 0;
  std::size_t maxFetched_ = 0;
  Pos lastEnd_;
  std::uint32_t recursion_ = 0;
  std::uint32_t stmtDepth_ = 0;
  std::uint32_t brackets_ = 0;
  std::uint32_t height_ = 0;
  /// Expressions written in parentheses `( e )` (the tree does not record them), and the order
  /// they were found in, to forget those of a speculative parse that was undone.
  std::set<const Expr*> parenthesized_;
  std::vector<const Expr*> parenthesizedLog_;
};

// ------------------------------------------------------------------ after parsing

/// The checks CPython makes after parsing, in its symbol table and compiler: where return,
/// break, continue, await, async for/with and starred expressions may appear, repeated
/// keyword arguments and parameters, and so on. The first one found (in source order) is
/// reported.
class Validator
{
public:
  explicit Validator(const std::string& filename) : filename_(filename) {}

  std::optional<ParseError> run(const Body& body)
  {
    scopes_.push_back(Scope{ScopeKind::Module});
    try {
      for (std::size_t i = 0; i < body.size(); ++i) {
        const Stmt& s = *body[i];
        const bool docstring = i == 0 && s.kind == StmtKind::Expr &&
                               isConst(*static_cast<const ExprStmt&>(s).value, ConstKind::Str);
        if (!docstring && !isFutureImport(s)) {
          futureOk_ = false;
        }
        stmt(s);
      }
    } catch (const ParseError& e) {
      return e;
    }
    return std::nullopt;
  }

private:
  enum class ScopeKind : std::uint8_t {
    Module,
    Class,
    Function,
    AsyncFunction,
    Lambda,
    Comprehension,
    GenExp
  };
  struct Scope
  {
    ScopeKind kind;
    bool coroutine = false;
  };

  [[noreturn]] void fail(std::string msg, Pos pos)
  {
    ParseError e;
    e.kind = ParseError::Kind::Syntax;
    e.message = std::move(msg);
    e.filename = filename_;
    e.pos = pos;
    throw e;
  }

  Scope& scope() { return scopes_.back(); }

  static bool isFutureImport(const Stmt& s)
  {
    if (s.kind != StmtKind::ImportFrom) {
      return false;
    }
    const auto& f = static_cast<const ImportFromStmt&>(s);
    return f.level == 0 && f.module == "__future__";
  }

  void futureImport(const ImportFromStmt& f)
  {
    // CPython reports these at the 0-based column (but at least 1).
    const Pos pos{f.pos.line, std::max<std::uint32_t>(f.pos.col - 1, 1)};
    if (!futureOk_) {
      fail("from __future__ imports must occur at the beginning of the file", pos);
    }
    static constexpr std::string_view kFeatures[] = {
        "nested_scopes",  "generators",       "division",       "absolute_import", "with_statement",
        "print_function", "unicode_literals", "barry_as_FLUFL", "generator_stop",  "annotations"};
    for (const Alias& a : f.names) {
      if (a.name == "braces") {
        fail("not a chance", pos);
      }
      if (std::find(std::begin(kFeatures), std::end(kFeatures), a.name) == std::end(kFeatures)) {
        fail("future feature " + a.name + " is not defined", pos);
      }
    }
  }

  /// CPython forbids binding `__debug__`.
  void checkName(const std::string& name, Pos pos, bool del = false)
  {
    if (name == "__debug__") {
      fail(del ? "cannot delete __debug__" : "cannot assign to __debug__", pos);
    }
  }
  bool isFunctionBlock() const
  {
    const ScopeKind k = scopes_.back().kind;
    return k != ScopeKind::Module && k != ScopeKind::Class;
  }

  void stmts(const Body& body)
  {
    for (const auto& s : body) {
      stmt(*s);
    }
  }

  void withLoop(const Body& body)
  {
    ++loops_;
    stmts(body);
    --loops_;
  }

  void arguments(const Arguments& a, bool annotations)
  {
    for (const auto& d : a.defaults) {
      expr(*d);
    }
    for (const auto& d : a.kw_defaults) {
      if (d) {
        expr(*d);
      }
    }
    std::vector<const Arg*> all;
    for (const auto& x : a.args) {
      all.push_back(&x);
    }
    if (a.vararg) {
      all.push_back(&*a.vararg);
    }
    for (const auto& x : a.kwonlyargs) {
      all.push_back(&x);
    }
    if (a.kwarg) {
      all.push_back(&*a.kwarg);
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
      checkName(all[i]->name, all[i]->pos);
      for (std::size_t j = 0; j < i; ++j) {
        if (all[j]->name == all[i]->name) {
          fail("duplicate argument '" + all[i]->name + "' in function definition", all[i]->pos);
        }
      }
    }
    if (annotations) {
      for (const Arg* x : all) {
        if (x->annotation) {
          expr(*x->annotation);
        }
      }
    }
  }

  void target(const Expr& e)
  {
    // An assignment target: a top-level Starred is an error; Tuple/List allow one.
    if (e.kind == ExprKind::Starred) {
      fail("starred assignment target must be in a list or tuple", e.pos);
    }
    storeExpr(e);
  }

  void storeExpr(const Expr& e)
  {
    if (e.kind == ExprKind::Tuple || e.kind == ExprKind::List) {
      const auto& s = static_cast<const SequenceExpr&>(e);
      bool seen = false;
      for (const auto& elt : s.elts) {
        if (elt->kind == ExprKind::Starred) {
          if (seen) {
            fail("multiple starred expressions in assignment", e.pos);
          }
          seen = true;
          storeExpr(*static_cast<const StarredExpr&>(*elt).value);
        } else {
          storeExpr(*elt);
        }
      }
      return;
    }
    expr(e);
  }

  void stmt(const Stmt& s)
  {
    switch (s.kind) {
      case StmtKind::Expr:
        expr(*static_cast<const ExprStmt&>(s).value);
        break;
      case StmtKind::Assign: {
        const auto& a = static_cast<const AssignStmt&>(s);
        expr(*a.value);
        for (const auto& t : a.targets) {
          target(*t);
        }
        break;
      }
      case StmtKind::AugAssign: {
        const auto& a = static_cast<const AugAssignStmt&>(s);
        expr(*a.target);
        expr(*a.value);
        break;
      }
      case StmtKind::AnnAssign: {
        const auto& a = static_cast<const AnnAssignStmt&>(s);
        expr(*a.target);
        expr(*a.annotation);
        if (a.value) {
          expr(*a.value);
        }
        break;
      }
      case StmtKind::Return: {
        const auto& r = static_cast<const ReturnStmt&>(s);
        if (!isFunctionBlock()) {
          fail("'return' outside function", s.pos);
        }
        if (r.value) {
          expr(*r.value);
        }
        break;
      }
      case StmtKind::Delete:
        for (const auto& t : static_cast<const DeleteStmt&>(s).targets) {
          expr(*t);
        }
        break;
      case StmtKind::Pass:
        break;
      case StmtKind::Break:
        if (loops_ == 0) {
          fail("'break' outside loop", s.pos);
        }
        break;
      case StmtKind::Continue:
        if (loops_ == 0) {
          fail("'continue' not properly in loop", s.pos);
        }
        break;
      case StmtKind::If: {
        const auto& i = static_cast<const IfStmt&>(s);
        expr(*i.test);
        stmts(i.body);
        stmts(i.orelse);
        break;
      }
      case StmtKind::While: {
        const auto& w = static_cast<const WhileStmt&>(s);
        expr(*w.test);
        withLoop(w.body);
        stmts(w.orelse);
        break;
      }
      case StmtKind::For: {
        const auto& f = static_cast<const ForStmt&>(s);
        if (f.is_async && scope().kind != ScopeKind::AsyncFunction) {
          fail("'async for' outside async function", s.pos);
        }
        expr(*f.iter);
        target(*f.target);
        withLoop(f.body);
        stmts(f.orelse);
        break;
      }
      case StmtKind::With: {
        const auto& w = static_cast<const WithStmt&>(s);
        if (w.is_async && scope().kind != ScopeKind::AsyncFunction) {
          fail("'async with' outside async function", s.pos);
        }
        for (const auto& item : w.items) {
          expr(*item.context_expr);
          if (item.optional_vars) {
            target(*item.optional_vars);
          }
        }
        stmts(w.body);
        break;
      }
      case StmtKind::Try: {
        const auto& t = static_cast<const TryStmt&>(s);
        stmts(t.body);
        for (std::size_t i = 0; i < t.handlers.size(); ++i) {
          const ExceptHandler& h = t.handlers[i];
          if (!h.type && i + 1 < t.handlers.size()) {
            fail("default 'except:' must be last", h.pos);
          }
          if (h.type) {
            expr(*h.type);
          }
          stmts(h.body);
        }
        stmts(t.orelse);
        stmts(t.finalbody);
        break;
      }
      case StmtKind::Raise: {
        const auto& r = static_cast<const RaiseStmt&>(s);
        if (r.exc) {
          expr(*r.exc);
        }
        if (r.cause) {
          expr(*r.cause);
        }
        break;
      }
      case StmtKind::Assert: {
        const auto& a = static_cast<const AssertStmt&>(s);
        expr(*a.test);
        if (a.msg) {
          expr(*a.msg);
        }
        break;
      }
      case StmtKind::ImportFrom:
        if (isFutureImport(s)) {
          futureImport(static_cast<const ImportFromStmt&>(s));
        }
        break;
      case StmtKind::Import:
      case StmtKind::Global:
        break;
      case StmtKind::Nonlocal:
        if (scope().kind == ScopeKind::Module) {
          fail("nonlocal declaration not allowed at module level", s.pos);
        }
        break;
      case StmtKind::FunctionDef: {
        const auto& f = static_cast<const FunctionDefStmt&>(s);
        checkName(f.name, s.pos);
        for (const auto& d : f.decorators) {
          expr(*d);
        }
        arguments(f.args, true);
        if (f.returns) {
          expr(*f.returns);
        }
        scopes_.push_back(Scope{f.is_async ? ScopeKind::AsyncFunction : ScopeKind::Function});
        const int savedLoops = loops_;
        loops_ = 0;
        stmts(f.body);
        loops_ = savedLoops;
        scopes_.pop_back();
        break;
      }
      case StmtKind::ClassDef: {
        const auto& c = static_cast<const ClassDefStmt&>(s);
        for (const auto& d : c.decorators) {
          expr(*d);
        }
        elements(c.bases);
        keywords(c.keywords);
        scopes_.push_back(Scope{ScopeKind::Class});
        const int savedLoops = loops_;
        loops_ = 0;
        stmts(c.body);
        loops_ = savedLoops;
        scopes_.pop_back();
        break;
      }
    }
  }

  void keywords(const std::vector<Keyword>& kws)
  {
    for (std::size_t i = 0; i < kws.size(); ++i) {
      if (!kws[i].arg.empty()) {
        checkName(kws[i].arg, kws[i].pos);
        for (std::size_t j = 0; j < i; ++j) {
          if (kws[j].arg == kws[i].arg) {
            fail("keyword argument repeated: " + kws[i].arg, kws[i].pos);
          }
        }
      }
      expr(*kws[i].value);
    }
  }

  /// Elements of displays and call arguments, where `*x` is allowed.
  void elements(const std::vector<ExprPtr>& elts)
  {
    for (const auto& e : elts) {
      if (e->kind == ExprKind::Starred) {
        expr(*static_cast<const StarredExpr&>(*e).value);
      } else {
        expr(*e);
      }
    }
  }

  void expr(const Expr& e)
  {
    switch (e.kind) {
      case ExprKind::Constant:
        break;
      case ExprKind::Name: {
        const auto& n = static_cast<const NameExpr&>(e);
        if (n.ctx != Ctx::Load) {
          checkName(n.id, e.pos, n.ctx == Ctx::Del);
        }
        break;
      }
      case ExprKind::Attribute: {
        const auto& a = static_cast<const AttributeExpr&>(e);
        if (a.ctx != Ctx::Load) {
          checkName(a.attr, e.pos, a.ctx == Ctx::Del);
        }
        expr(*a.value);
        break;
      }
      case ExprKind::Subscript: {
        const auto& s = static_cast<const SubscriptExpr&>(e);
        expr(*s.value);
        expr(*s.index);
        break;
      }
      case ExprKind::Slice: {
        const auto& s = static_cast<const SliceExpr&>(e);
        for (const Expr* x : {s.lower.get(), s.upper.get(), s.step.get()}) {
          if (x) {
            expr(*x);
          }
        }
        break;
      }
      case ExprKind::Call: {
        const auto& c = static_cast<const CallExpr&>(e);
        expr(*c.func);
        elements(c.args);
        keywords(c.keywords);
        break;
      }
      case ExprKind::BinOp: {
        const auto& b = static_cast<const BinOpExpr&>(e);
        expr(*b.left);
        expr(*b.right);
        break;
      }
      case ExprKind::UnaryOp:
        expr(*static_cast<const UnaryOpExpr&>(e).operand);
        break;
      case ExprKind::BoolOp:
        for (const auto& v : static_cast<const BoolOpExpr&>(e).values) {
          expr(*v);
        }
        break;
      case ExprKind::Compare: {
        const auto& c = static_cast<const CompareExpr&>(e);
        expr(*c.left);
        for (const auto& v : c.comparators) {
          expr(*v);
        }
        break;
      }
      case ExprKind::IfExp: {
        const auto& i = static_cast<const IfExpExpr&>(e);
        expr(*i.test);
        expr(*i.body);
        expr(*i.orelse);
        break;
      }
      case ExprKind::Lambda: {
        const auto& l = static_cast<const LambdaExpr&>(e);
        arguments(l.args, false);
        scopes_.push_back(Scope{ScopeKind::Lambda});
        expr(*l.body);
        scopes_.pop_back();
        break;
      }
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set:
        elements(static_cast<const SequenceExpr&>(e).elts);
        break;
      case ExprKind::Dict: {
        const auto& d = static_cast<const DictExpr&>(e);
        for (std::size_t i = 0; i < d.values.size(); ++i) {
          if (d.keys[i]) {
            expr(*d.keys[i]);
          }
          expr(*d.values[i]);
        }
        break;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp:
      case ExprKind::GeneratorExp:
        comprehension(static_cast<const ComprehensionExpr&>(e));
        break;
      case ExprKind::Await: {
        const ScopeKind k = scope().kind;
        if (k == ScopeKind::Module || k == ScopeKind::Class) {
          fail("'await' outside function", e.pos);
        }
        if (k != ScopeKind::AsyncFunction && k != ScopeKind::Comprehension &&
            k != ScopeKind::GenExp) {
          fail("'await' outside async function", e.pos);
        }
        scope().coroutine = true;
        expr(*static_cast<const AwaitExpr&>(e).value);
        break;
      }
      case ExprKind::JoinedStr:
        for (const auto& v : static_cast<const JoinedStrExpr&>(e).values) {
          expr(*v);
        }
        break;
      case ExprKind::FormattedValue: {
        const auto& f = static_cast<const FormattedValueExpr&>(e);
        expr(*f.value);
        if (f.format_spec) {
          expr(*f.format_spec);
        }
        break;
      }
      case ExprKind::Starred: {
        const auto& s = static_cast<const StarredExpr&>(e);
        if (s.ctx == Ctx::Store) {
          fail("starred assignment target must be in a list or tuple", e.pos);
        }
        fail("can't use starred expression here", e.pos);
      }
      case ExprKind::NamedExpr: {
        const auto& n = static_cast<const NamedExpr&>(e);
        expr(*n.target);
        expr(*n.value);
        break;
      }
    }
  }

  void comprehension(const ComprehensionExpr& c)
  {
    // The first iterable is evaluated in the enclosing scope.
    expr(*c.generators.front().iter);
    const bool genexp = c.kind == ExprKind::GeneratorExp;
    scopes_.push_back(Scope{genexp ? ScopeKind::GenExp : ScopeKind::Comprehension});
    for (std::size_t i = 0; i < c.generators.size(); ++i) {
      const Comprehension& g = c.generators[i];
      if (g.is_async) {
        scope().coroutine = true;
      }
      storeExpr(*g.target);
      if (i > 0) {
        expr(*g.iter);
      }
      for (const auto& x : g.ifs) {
        expr(*x);
      }
    }
    expr(*c.elt);
    if (c.value) {
      expr(*c.value);
    }
    const bool coroutine = scope().coroutine;
    scopes_.pop_back();
    if (coroutine && !genexp) {
      const ScopeKind k = scope().kind;
      if (k == ScopeKind::Comprehension || k == ScopeKind::GenExp) {
        scope().coroutine = true;
      } else if (k != ScopeKind::AsyncFunction) {
        fail("asynchronous comprehension outside of an asynchronous function", c.pos);
      }
    }
  }

  const std::string& filename_;
  std::vector<Scope> scopes_;
  int loops_ = 0;
  bool futureOk_ = true;
};

/// Byte column -> character column (CPython's SyntaxError offsets count characters).
std::uint32_t charColumn(const std::vector<std::string>& lines, Pos pos)
{
  if (pos.line == 0 || pos.line > lines.size() || pos.col == 0) {
    return pos.col;
  }
  const std::string& line = lines[pos.line - 1];
  const std::size_t bytes = pos.col - 1;
  const std::size_t n = std::min(bytes, line.size());
  std::uint32_t chars = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) {
      ++chars;
    }
  }
  return chars + static_cast<std::uint32_t>(bytes - n) + 1;
}

/// Checks the source is UTF-8 without NUL; returns the error, if any.
std::optional<ParseError> checkEncoding(const std::string& src, const std::string& filename)
{
  std::uint32_t line = 1;
  std::size_t lineStart = 0;
  const auto err = [&](std::string msg, std::size_t at) {
    ParseError e;
    e.kind = ParseError::Kind::Syntax;
    e.message = std::move(msg);
    e.filename = filename;
    e.pos = Pos{line, static_cast<std::uint32_t>(at - lineStart + 1)};
    return e;
  };
  for (std::size_t i = 0; i < src.size();) {
    const auto c = static_cast<unsigned char>(src[i]);
    if (c == 0) {
      return err("source code string cannot contain null bytes", i);
    }
    if (c == '\n') {
      ++line;
      lineStart = i + 1;
      ++i;
      continue;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      min = 0x10000;
    }
    const auto decodeError = [&](const char* reason) {
      return err("(unicode error) 'utf-8' codec can't decode byte 0x" + hex2(c) + " in position " +
                     std::to_string(i - lineStart) + ": " + reason,
                 i);
    };
    if (len == 0) {
      return decodeError("invalid start byte");
    }
    std::uint32_t cp = c & (0xFFu >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      if (i + k >= src.size()) {
        return decodeError("unexpected end of data");
      }
      const auto cc = static_cast<unsigned char>(src[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return decodeError("invalid continuation byte");
      }
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return decodeError("invalid continuation byte");
    }
    i += len;
  }
  return std::nullopt;
}

}  // namespace

std::string ParseError::describe() const
{
  std::string out =
      filename + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col) + ": ";
  switch (kind) {
    case Kind::Syntax:
      out += "SyntaxError: ";
      break;
    case Kind::Indentation:
      out += message == "inconsistent use of tabs and spaces in indentation" ? "TabError: "
                                                                             : "IndentationError: ";
      break;
    case Kind::NotSupported:
      out += "not supported by loopscope: ";
      break;
  }
  return out + message;
}

Module parse(std::string source, std::string filename)
{
  Module m;
  m.filename = filename;
  // A UTF-8 byte order mark is not part of the text; line ends become "\n".
  if (source.size() >= 3 && source.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    source.erase(0, 3);
  }
  if (source.find('\r') != std::string::npos) {
    std::string n;
    n.reserve(source.size());
    for (std::size_t i = 0; i < source.size(); ++i) {
      if (source[i] == '\r') {
        n += '\n';
        if (i + 1 < source.size() && source[i + 1] == '\n') {
          ++i;
        }
      } else {
        n += source[i];
      }
    }
    source = std::move(n);
  }
  if (source.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
    ParseError e;
    e.kind = ParseError::Kind::NotSupported;
    e.message = "source files larger than 2 GB";
    e.filename = filename;
    e.pos = Pos{1, 1};
    throw e;
  }
  std::vector<std::uint32_t> lineStarts{0};
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\n') {
      lineStarts.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
  for (std::size_t l = 0; l < lineStarts.size(); ++l) {
    const std::size_t b = lineStarts[l];
    if (b == source.size() && (l > 0 || source.empty())) {
      break;  // a final line end does not start a line
    }
    std::size_t e = l + 1 < lineStarts.size() ? lineStarts[l + 1] - 1 : source.size();
    m.lines.emplace_back(source, b, e - b);
  }

  const auto finish = [&](ParseError e) -> ParseError {
    e.pos.col = charColumn(m.lines, e.pos);
    return e;
  };
  if (auto e = checkEncoding(source, filename)) {
    throw finish(std::move(*e));
  }
  const LexResult lex = tokenize(source, filename);
  Parser parser(source, filename, lex, lineStarts);
  try {
    m.body = parser.parseFile();
  } catch (Fail& f) {
    ParseError e = std::move(f.error);
    // CPython: after a parser error it tokenizes the rest of the file; a tokenizer error there
    // wins, and so does an unclosed bracket opened on an earlier line.
    if (!f.from_lexer && !f.final && lex.error) {
      const auto& ob = lex.open_bracket;
      if (ob && std::max(e.pos.line, parser.errorLine()) > ob->pos.line) {
        ParseError u;
        u.kind = ParseError::Kind::Syntax;
        u.message = std::string("'") + ob->ch + "' was never closed";
        u.filename = filename;
        u.pos = ob->pos;
        e = std::move(u);
      } else if (!lex.eof_in_brackets) {
        e = *lex.error;
      }
    }
    throw finish(std::move(e));
  }
  Validator v(filename);
  if (auto e = v.run(m.body)) {
    throw finish(std::move(*e));
  }
  return m;
}

}  // namespace loopscope::script
