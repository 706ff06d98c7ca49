# Installing and packaging. `cmake --install BUILD --prefix PREFIX` lays out
#   PREFIX/bin/partnerpolicy
#   PREFIX/share/partnerpolicy/policies/   the whole policies/ tree (rules, lib/, TOML files,
#                                          tests, and LuaCATS types/ and .luarc.json if present)
#   PREFIX/share/partnerpolicy/schemas/
#   PREFIX/share/man/man1/partnerpolicy.1.gz
#   PREFIX/share/bash-completion/completions/partnerpolicy
# and the installed program finds its policies and schemas from its own path with no flag
# (cli/install_paths.h). `cpack -G DEB` in the build directory packs the same tree under /usr
# as a Debian package whose dependencies dpkg-shlibdeps reads off the program
# (scripts/package-test.sh builds and checks it).

# The directories themselves, not lists of files: a new rule or library is installed unasked.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/policies/ DESTINATION share/partnerpolicy/policies)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION share/partnerpolicy/schemas)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME partnerpolicy)
set(CPACK_PACKAGE_VENDOR "partnerpolicy")
set(CPACK_PACKAGE_CONTACT
    "partnerpolicy maintainers <maintainers@users.noreply.b-seed-cd6072df.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Microsoft AI Cloud Partner Program rules as code")
# The long description as one paragraph: CPack puts the summary above it as the synopsis and
# indents it as debian/control wants.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "partnerpolicy keeps the program's rules (Azure credit reassignment caps, free-mail bans, "
    "product-key extensions, benefit checkout roles and more) as small Lua policies with "
    "parameters in TOML, and runs them against a JSON description of a partner's state: check "
    "lists every breach, can decides whether an action is allowed, actions lists what may be "
    "done now, alerts what lapses soon. The policies are installed in "
    "/usr/share/partnerpolicy/policies and used when no --policies is given.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # partnerpolicy_0.1.0_amd64.deb
# Runtime dependencies (liblua5.4-0, libfmt9, libssl3, libstdc++6, ...) as dpkg-shlibdeps
# (dpkg-dev) finds them in the program's ELF dependencies, with the versions Debian's symbol
# files require, rather than a hand-kept list that drifts from what the binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
