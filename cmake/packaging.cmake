# Installing and packaging. `cmake --install BUILD --prefix PREFIX` lays out
#   PREFIX/bin/partnerpolicy
#   PREFIX/share/partnerpolicy/policies/   the whole policies/ tree (rules, lib/, TOML files,
#                                          tests, and LuaCATS types/ and .luarc.json if present)
#   PREFIX/share/partnerpolicy/schemas/
#   PREFIX/share/partnerpolicy/fixtures/{examples,valid,rules}/   the example partners, and the
#                                          states the installed policy tests name
#   PREFIX/share/man/man1/partnerpolicy.1.gz
#   PREFIX/share/bash-completion/completions/partnerpolicy
#   PREFIX/share/doc/partnerpolicy/{copyright,changelog.gz}
# and the installed program finds its policies and schemas from its own path with no flag
# (cli/install_paths.h). `cpack -G DEB` in the build directory packs the same tree under /usr
# as a Debian package whose dependencies dpkg-shlibdeps reads off the program
# (scripts/package-test.sh builds and checks it).

# The directories themselves, not lists of files: a new rule or library is installed unasked.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/policies/ DESTINATION share/partnerpolicy/policies)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION share/partnerpolicy/schemas)
# The policy tests (policies/**/*.test.json) name their states as ../../fixtures/..., and the
# fixtures name their schema as ../../schemas/...: installed side by side under
# share/partnerpolicy/, both paths hold, so `partnerpolicy test` passes on the installed policies
# and an editor validates an installed example. The other fixture directories (invalid, broken,
# waivers, baselines) serve the project's own tests only.
foreach(fixtures examples valid rules)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/fixtures/${fixtures}
          DESTINATION share/partnerpolicy/fixtures)
endforeach()

# What Debian policy asks of every package (lintian errors otherwise): a copyright file and,
# for a native package, the changelog, gzipped reproducibly (-n: no name or time stamp). The
# changelog's newest entry must be this version, so a version bump cannot ship a stale one.
set(PARTNERPOLICY_CHANGELOG ${PROJECT_SOURCE_DIR}/cmake/debian/changelog)
file(STRINGS ${PARTNERPOLICY_CHANGELOG} changelog_head LIMIT_COUNT 1)
if(NOT changelog_head MATCHES "^partnerpolicy \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "${PARTNERPOLICY_CHANGELOG}: the newest entry is '${changelog_head}', "
                      "expected partnerpolicy (${PROJECT_VERSION}): add an entry for this version")
endif()
add_custom_command(
  OUTPUT changelog.gz
  COMMAND gzip -9n -c ${PARTNERPOLICY_CHANGELOG} > changelog.gz
  DEPENDS ${PARTNERPOLICY_CHANGELOG}
  COMMENT "Compressing the Debian changelog")
add_custom_target(partnerpolicy_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/changelog.gz)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/copyright ${PROJECT_BINARY_DIR}/changelog.gz
        DESTINATION share/doc/partnerpolicy)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME partnerpolicy)
set(CPACK_PACKAGE_VENDOR "partnerpolicy")
set(CPACK_PACKAGE_CONTACT
    "partnerpolicy maintainers <maintainers@users.noreply.b-seed-cd6072df.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Microsoft AI Cloud Partner Program rules as code")
# The long description in lines of at most 80 columns (lintian: extended-description-line-too-long):
# CPack puts the summary above it as the synopsis and indents each line as debian/control wants.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "partnerpolicy keeps the program's rules (Azure credit reassignment caps,\n"
    "free-mail bans, product-key extensions, benefit checkout roles and more) as\n"
    "small Lua policies with parameters in TOML, and runs them against a JSON\n"
    "description of a partner's state: check lists every breach, can decides\n"
    "whether an action is allowed, actions lists what may be done now, alerts what\n"
    "lapses soon.\n"
    "\n"
    "The policies are installed in /usr/share/partnerpolicy/policies and used when\n"
    "no --policies is given; an example partner state is in\n"
    "/usr/share/partnerpolicy/fixtures/examples.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # partnerpolicy_0.1.0_amd64.deb
# Runtime dependencies (liblua5.4-0, libfmt9, libssl3, libstdc++6, ...) as dpkg-shlibdeps
# (dpkg-dev) finds them in the program's ELF dependencies, with the versions Debian's symbol
# files require, rather than a hand-kept list that drifts from what the binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
