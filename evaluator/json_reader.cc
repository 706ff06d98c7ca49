// SAX adapter from nlohmann_json to DocumentBuilder, with a position-tracking input iterator.
#include "partnerpolicy/json_reader.h"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <system_error>
#include <vector>

namespace partnerpolicy {
namespace {

struct Position {
  int line = 1;
  int column = 1;
};

// Watches the characters the parser consumes and remembers where the current token started.
// nlohmann's SAX events carry no positions; the parser reads a token completely before it fires
// the event (and one character past a number), so the start of the latest token, or the one
// before it for numbers, is the start of the value the event is about.
class PositionTracker {
 public:
  void Consume(char c) {
    if (c == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
    if (in_string_) {
      if (escape_)
        escape_ = false;
      else if (c == '\\')
        escape_ = true;
      else if (c == '"')
        in_string_ = false;
      previous_ = c;
      return;
    }
    if (IsStructural(c)) {
      StartToken(true);
    } else if (c == '"') {
      StartToken(false);
      in_string_ = true;
    } else if (!IsWhitespace(c) && (IsWhitespace(previous_) || IsStructural(previous_))) {
      StartToken(false);  // a literal or number begins
    }
    previous_ = c;
  }

  Position token() const { return token_; }
  // A number event fires after the character following the number was read.
  Position number_start() const { return token_is_structural_ ? previous_token_ : token_; }
  Position last_read() const { return Position{line_, column_ == 0 ? 1 : column_}; }

 private:
  static bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static bool IsStructural(char c) {
    return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
  }
  void StartToken(bool structural) {
    previous_token_ = token_;
    token_ = Position{line_, column_};
    token_is_structural_ = structural;
  }

  int line_ = 1;
  int column_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  char previous_ = ' ';
  bool token_is_structural_ = false;
  Position token_;
  Position previous_token_;
};

// An input iterator over the text that reports each character to the tracker.
class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator() = default;
  TrackingIterator(const char* at, PositionTracker* tracker) : at_(at), tracker_(tracker) {}

  reference operator*() const { return *at_; }
  TrackingIterator& operator++() {
    tracker_->Consume(*at_);
    ++at_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const TrackingIterator& other) const { return at_ == other.at_; }
  bool operator!=(const TrackingIterator& other) const { return at_ != other.at_; }

 private:
  const char* at_ = nullptr;
  PositionTracker* tracker_ = nullptr;
};

using Json = nlohmann::json;

class SaxToDocument : public nlohmann::json_sax<Json> {
 public:
  SaxToDocument(const std::string& source_name, const PositionTracker& tracker, int max_depth)
      : source_name_(source_name),
        tracker_(tracker),
        max_depth_(max_depth),
        builder_(source_name) {}

  bool null() override {
    Position p = tracker_.token();
    builder_.Null(p.line, p.column);
    return Added();
  }
  bool boolean(bool value) override {
    Position p = tracker_.token();
    builder_.Bool(value, p.line, p.column);
    return Added();
  }
  bool number_integer(number_integer_t value) override {
    Position p = tracker_.number_start();
    builder_.Integer(value, p.line, p.column);
    return Added();
  }
  bool number_unsigned(number_unsigned_t value) override {
    Position p = tracker_.number_start();
    if (value <= static_cast<number_unsigned_t>(INT64_MAX)) {
      builder_.Integer(static_cast<int64_t>(value), p.line, p.column);
    } else {
      builder_.Float(static_cast<double>(value), p.line, p.column);
    }
    return Added();
  }
  bool number_float(number_float_t value, const string_t&) override {
    Position p = tracker_.number_start();
    builder_.Float(value, p.line, p.column);
    return Added();
  }
  bool string(string_t& value) override {
    Position p = tracker_.token();
    // nlohmann decodes "\u0000" into a NUL byte. C strings further on (e-mail checks, messages,
    // the Lua host's lua_pushstring) would cut the text there, so refuse it here, where the
    // position is known, instead of letting a shortened string through.
    if (value.find('\0') != std::string::npos) {
      return Fail("string contains a NUL character (\\u0000); expected text without NUL", p,
                  Pointer());
    }
    builder_.String(value, p.line, p.column);
    return Added();
  }
  bool binary(binary_t&) override { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) override {
    if (!CheckDepth()) return false;
    Position p = tracker_.token();
    builder_.StartObject(p.line, p.column);
    path_.push_back(Step{true, "", 0});
    return true;
  }
  bool key(string_t& name) override {
    if (name.find('\0') != std::string::npos) {
      return Fail("member name contains a NUL character (\\u0000); expected text without NUL",
                  tracker_.token(), Pointer());
    }
    path_.back().member = name;
    if (!builder_.Key(name)) {
      return Fail("duplicate member name \"" + name + "\" in one object", tracker_.token());
    }
    return true;
  }
  bool end_object() override {
    builder_.EndContainer();
    path_.pop_back();
    return Added();
  }
  bool start_array(std::size_t) override {
    if (!CheckDepth()) return false;
    Position p = tracker_.token();
    builder_.StartArray(p.line, p.column);
    path_.push_back(Step{false, "", 0});
    return true;
  }
  bool end_array() override {
    builder_.EndContainer();
    path_.pop_back();
    return Added();
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    // nlohmann's text is "[json.exception.parse_error.101] parse error at line 1, column 5:
    // syntax error while parsing value - ..."; keep only the part after the position, ours
    // is given in the location.
    std::string what = ex.what();
    size_t column = what.find("column ");
    size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return Fail("invalid JSON: " + Printable(reason));
  }

  bool failed() const { return failed_; }
  Error& error() { return error_; }
  Document Finish() { return builder_.Finish(); }

 private:
  bool CheckDepth() {
    if (builder_.depth() >= max_depth_) {
      return Fail("nesting deeper than " + std::to_string(max_depth_) +
                  " levels; a partner state needs far fewer");
    }
    return true;
  }
  // A value was added at the current position: the next array element has the next index.
  bool Added() {
    if (!path_.empty() && !path_.back().object) ++path_.back().index;
    return true;
  }
  // The JSON pointer (RFC 6901) of the value being read, e.g. "/users/0/email".
  std::string Pointer() const {
    std::string out;
    for (const Step& step : path_) {
      out += '/';
      if (!step.object) {
        out += std::to_string(step.index);
        continue;
      }
      for (char c : step.member) {
        if (c == '~')
          out += "~0";
        else if (c == '/')
          out += "~1";
        else
          out += c;
      }
    }
    return out;
  }
  // nlohmann quotes the bytes it read last, which for a UTF-8 error are not UTF-8: show every
  // byte outside printable ASCII as \xNN so the message itself stays valid text.
  static std::string Printable(const std::string& text) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : text) {
      if (c >= 0x20 && c < 0x7f) {
        out += static_cast<char>(c);
      } else {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    return out;
  }
  bool Fail(std::string message) { return Fail(std::move(message), tracker_.last_read()); }
  bool Fail(std::string message, Position p, std::string pointer = "") {
    if (!failed_) {
      error_ = Error{ErrorCode::kInvalidInput, std::move(message),
                     SourceLocation{source_name_, p.line, p.column, std::move(pointer)}, ""};
      failed_ = true;
    }
    return false;
  }

  const std::string& source_name_;
  const PositionTracker& tracker_;
  int max_depth_;
  DocumentBuilder builder_;
  // Where the reader is: per open container, the member name or the next element's index.
  struct Step {
    bool object;
    std::string member;
    int64_t index;
  };
  std::vector<Step> path_;
  bool failed_ = false;
  Error error_;
};

// The document as an ordered JSON value (members in document order).
nlohmann::ordered_json ToOrderedJson(const Document& doc, NodeId id) {
  switch (doc.kind(id)) {
    case NodeKind::kNull:
      return nullptr;
    case NodeKind::kBool:
      return doc.boolean(id);
    case NodeKind::kInteger:
      return doc.integer(id);
    case NodeKind::kFloat:
      return doc.number(id);
    case NodeKind::kString:
      return std::string(doc.string(id));
    case NodeKind::kArray: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (uint32_t i = 0; i < doc.size(id); ++i) {
        out.push_back(ToOrderedJson(doc, doc.child(id, i)));
      }
      return out;
    }
    case NodeKind::kObject: {
      nlohmann::ordered_json out = nlohmann::ordered_json::object();
      for (uint32_t i = 0; i < doc.size(id); ++i) {
        NodeId child = doc.child(id, i);
        out[std::string(doc.key(child))] = ToOrderedJson(doc, child);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

Result<std::string> ApplyJsonPatch(const Document& document,
                                   const std::vector<JsonPatchOperation>& patch) {
  using Ordered = nlohmann::ordered_json;
  Ordered state = ToOrderedJson(document, document.root());
  for (size_t i = 0; i < patch.size(); ++i) {
    const JsonPatchOperation& operation = patch[i];
    const std::string where =
        "operation " + std::to_string(i + 1) + " (" + operation.op + " " + operation.path + ")";
    try {
      Ordered step = Ordered::object();
      step["op"] = operation.op;
      step["path"] = operation.path;
      if (operation.op != "remove") step["value"] = Ordered::parse(operation.value);
      // One operation at a time, so an error names the operation that failed.
      state.patch_inplace(Ordered::array({step}));
    } catch (const nlohmann::json::exception& ex) {
      // nlohmann's messages start with "[json.exception.out_of_range.403] "; the id is noise.
      std::string message = ex.what();
      if (size_t end = message.find("] ");
          message.rfind("[json.exception", 0) == 0 && end != std::string::npos) {
        message.erase(0, end + 2);
      }
      return Error{ErrorCode::kInvalidInput, where + ": " + message, {}, ""};
    }
  }
  try {
    return state.dump(2) + "\n";
  } catch (const nlohmann::json::exception& ex) {  // invalid UTF-8 in a string
    return Error{ErrorCode::kInvalidInput, std::string("the patched state: ") + ex.what(), {}, ""};
  }
}

Result<Document> ParseJson(std::string_view text, const std::string& source_name,
                           const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error{ErrorCode::kInvalidInput,
                 "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                     std::to_string(limits.max_bytes),
                 SourceLocation{source_name, 0, 0, ""}, ""};
  }
  PositionTracker tracker;
  SaxToDocument sax(source_name, tracker, limits.max_depth);
  TrackingIterator first(text.data(), &tracker);
  TrackingIterator last(text.data() + text.size(), &tracker);
  bool ok = false;
  try {
    ok = Json::sax_parse(first, last, &sax, nlohmann::json::input_format_t::json, true, false);
  } catch (const std::exception& ex) {  // defensive: sax_parse reports through parse_error
    return Error{ErrorCode::kInvalidInput, std::string("invalid JSON: ") + ex.what(),
                 SourceLocation{source_name, 0, 0, ""}, ""};
  }
  if (!ok || sax.failed()) {
    if (sax.failed()) return std::move(sax.error());
    return Error{ErrorCode::kInvalidInput, "invalid JSON", SourceLocation{source_name, 0, 0, ""},
                 ""};
  }
  return sax.Finish();
}

Result<Document> ReadJsonFile(const std::filesystem::path& path, const JsonLimits& limits) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error{ErrorCode::kIo, "is a directory, expected a JSON file", {name, 0, 0, ""}, ""};
  }
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    return Error{ErrorCode::kIo, "cannot read: " + ec.message(), {name, 0, 0, ""}, ""};
  }
  if (size > limits.max_bytes) {
    return Error{ErrorCode::kInvalidInput,
                 "file is " + std::to_string(size) + " bytes; the limit is " +
                     std::to_string(limits.max_bytes) + " (" +
                     std::to_string(limits.max_bytes >> 20) + " MiB, see --max-input-mb)",
                 {name, 0, 0, ""},
                 ""};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kIo, "cannot open for reading", {name, 0, 0, ""}, ""};
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) {
    return Error{ErrorCode::kIo, "read fewer bytes than the file holds", {name, 0, 0, ""}, ""};
  }
  return ParseJson(text, name, limits);
}

}  // namespace partnerpolicy
