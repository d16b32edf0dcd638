// medical-image-server-users: administration of the users database.
// Passwords are read from standard input or a prompt, never from the command
// line, where every user of the machine could read them in the process list.

#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "Secrets.h"
#include "UserStoreFactory.h"

namespace {

// Orthanc's storage folder under `make run` (scripts/run-server.sh): the tool
// finds the same database as the server started there.
constexpr const char* kMakeRunStorage = "state/storage";
constexpr size_t kMinPasswordLength = 8;

const char* kUsage =
    "usage: medical-image-server-users [--database FILE|URI] COMMAND\n"
    "\n"
    "commands:\n"
    "  add NAME [--admin]         create a user (password from stdin or a prompt)\n"
    "  passwd NAME [--revoke-tokens]\n"
    "                             change a user's password; ends their sessions\n"
    "                             (and revokes their API tokens with the option)\n"
    "  remove NAME                delete a user, their sessions and API tokens\n"
    "  role NAME admin|user [--revoke-tokens]\n"
    "                             grant or take the admin role; taking it ends\n"
    "                             their sessions (and tokens with the option)\n"
    "  list                       list the users\n"
    "  token create NAME [LABEL]  create an API token for NAME; printed once\n"
    "  token list                 list API tokens (never their values)\n"
    "  token revoke ID            revoke an API token\n"
    "\n"
    "The database is FILE, else $MEDICAL_IMAGE_SERVER_USERS_DB, else\n"
    "state/storage/users.sqlite (where `make run` keeps it). A\n"
    "postgresql://USER:PASSWORD@HOST:PORT/DATABASE URI names a PostgreSQL\n"
    "database instead (better given in the variable: the command line is\n"
    "visible to every user of the machine).\n";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ReadLineWithoutEcho(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios saved{};
  const bool terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  return line;
}

// From a terminal: asked twice. From a pipe: the first line.
std::string ReadNewPassword() {
  const std::string password = ReadLineWithoutEcho("New password: ");
  if (isatty(STDIN_FILENO) && ReadLineWithoutEcho("Repeat it: ") != password) {
    throw std::runtime_error("the two passwords differ");
  }
  if (password.size() < kMinPasswordLength) {
    throw std::runtime_error("a password needs at least " + std::to_string(kMinPasswordLength) +
                             " characters");
  }
  return password;
}

std::string FormatTime(int64_t seconds) {
  const std::time_t time = static_cast<std::time_t>(seconds);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", std::gmtime(&time));
  return text;
}

int Fail(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return 1;
}

// Whether the word at `index` is "--revoke-tokens" (absent: false; another
// word: std::invalid_argument, as for any unknown option).
bool RevokeTokensOption(const std::vector<std::string>& args, size_t index) {
  if (args.size() <= index) return false;
  if (args[index] != "--revoke-tokens") throw std::invalid_argument("unknown option");
  return true;
}

void RevokeTokensOf(mis::UserStore& store, const std::string& name) {
  std::cout << "revoked " << store.RevokeApiTokensOf(name) << " API token(s) of " << name << "\n";
}

int Run(mis::UserStore& store, const std::vector<std::string>& args) {
  const std::string& command = args[0];
  auto need = [&](size_t count) {
    if (args.size() < count) throw std::invalid_argument("missing argument");
  };
  auto atMost = [&](size_t count) {
    // Extra words are refused: a password typed there would show in `ps`.
    if (args.size() > count) throw std::invalid_argument("too many arguments");
  };
  if (command == "add") {
    need(2);
    atMost(3);
    if (args.size() == 3 && args[2] != "--admin") throw std::invalid_argument("unknown option");
    const bool admin = args.size() == 3;
    if (args[1] == mis::kSeveralUserNames) {
      return Fail(std::string("the name ") + mis::kSeveralUserNames +
                  " is the audit trail's mark for several users");
    }
    if (store.FindUser(args[1])) return Fail("user " + args[1] + " exists already");
    if (!store.AddUser(args[1], mis::HashPassword(ReadNewPassword()), admin ? "admin" : "user",
                       Now())) {
      return Fail("user " + args[1] + " exists already");
    }
    std::cout << "added " << args[1] << (admin ? " (admin)" : "") << "\n";
  } else if (command == "passwd") {
    need(2);
    atMost(3);
    const bool revokeTokens = RevokeTokensOption(args, 2);
    if (!store.FindUser(args[1])) return Fail("no user " + args[1]);
    if (!store.SetPassword(args[1], mis::HashPassword(ReadNewPassword()))) {
      return Fail("no user " + args[1]);
    }
    std::cout << "password of " << args[1] << " changed; their sessions ended\n";
    if (revokeTokens) RevokeTokensOf(store, args[1]);
  } else if (command == "remove") {
    need(2);
    atMost(2);
    if (!store.RemoveUser(args[1])) return Fail("no user " + args[1]);
    std::cout << "removed " << args[1] << " with their sessions and tokens\n";
  } else if (command == "role") {
    need(3);
    atMost(4);
    const bool revokeTokens = RevokeTokensOption(args, 3);
    if (args[2] != "admin" && args[2] != "user") return Fail("the role is admin or user");
    const std::optional<mis::User> before = store.FindUser(args[1]);
    if (!before || !store.SetRole(args[1], args[2])) return Fail("no user " + args[1]);
    std::cout << args[1] << " is now " << args[2]
              << (before->role == "admin" && args[2] != "admin" ? "; their sessions ended" : "")
              << "\n";
    if (revokeTokens) RevokeTokensOf(store, args[1]);
  } else if (command == "list") {
    for (const mis::User& user : store.ListUsers()) {
      std::cout << user.name << "\t" << user.role << "\n";
    }
  } else if (command == "token" && args.size() >= 2 && args[1] == "create") {
    need(3);
    const auto user = store.FindUser(args[2]);
    if (!user) return Fail("no user " + args[2]);
    const std::string token = mis::NewSecretToken();
    const int64_t id = store.CreateApiToken(mis::TokenDigest(token), user->id,
                                            args.size() > 3 ? args[3] : "", Now());
    std::cerr << "API token " << id << " for " << user->name
              << " (shown once; send it as 'Authorization: Bearer <token>'):\n";
    std::cout << token << "\n";
  } else if (command == "token" && args.size() >= 2 && args[1] == "list") {
    for (const mis::ApiTokenInfo& token : store.ListApiTokens()) {
      std::cout << token.id << "\t" << token.userName << "\t" << FormatTime(token.createdAt)
                << "\t" << token.label << "\n";
    }
  } else if (command == "token" && args.size() >= 3 && args[1] == "revoke") {
    if (!store.RevokeApiToken(std::stoll(args[2]))) return Fail("no token " + args[2]);
    std::cout << "token " << args[2] << " revoked\n";
  } else {
    std::cerr << kUsage;
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string database = mis::ChooseUsersDatabase("", kMakeRunStorage);
  if (args.size() >= 2 && args[0] == "--database") {
    database = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cerr << kUsage;
    return args.empty() ? 2 : 0;
  }
  try {
    mis::InitializeSecrets();
    const std::unique_ptr<mis::UserStore> store = mis::OpenUserStore(database);
    return Run(*store, args);
  } catch (const std::invalid_argument&) {
    std::cerr << kUsage;
    return 2;
  } catch (const std::exception& error) {
    return Fail(error.what());
  }
}
