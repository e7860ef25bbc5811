# The install layout and the Debian package (CPack).
#
#   cmake --install build/release --prefix /opt/tigress
#   cmake --build --preset release --target package   # build/release/tigress-harness_<version>_amd64.deb
#
# Layout under the prefix (/usr in the .deb):
#   bin/                        tigress-harness, tigress-relay, tigress-device, tigress-report
#   share/tigress-harness/      scenarios/, vectors/ (with requirements.json),
#                               implementations/reference.yaml and reference-sct04.yaml, docs/
#   share/doc/tigress-harness/  copyright, changelog.gz (what Debian policy asks of every package)
# The harness finds share/tigress-harness/ from its own directory
# (harness/cli/paths.h), and {bindir} in the reference manifests is bin/, so the
# two folders must keep this relative position.
include(GNUInstallDirs)

set(TIGRESS_DATA_DESTINATION ${CMAKE_INSTALL_DATADIR}/tigress-harness)
set(TIGRESS_DOC_DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/tigress-harness)
# Debian wants 0755 directories whatever the umask of the machine building it.
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

install(TARGETS tigress-harness tigress-relay tigress-device tigress-report
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios ${PROJECT_SOURCE_DIR}/vectors ${PROJECT_SOURCE_DIR}/docs
  DESTINATION ${TIGRESS_DATA_DESTINATION})
install(FILES ${PROJECT_SOURCE_DIR}/implementations/reference.yaml
  ${PROJECT_SOURCE_DIR}/implementations/reference-sct04.yaml
  DESTINATION ${TIGRESS_DATA_DESTINATION}/implementations)

# A native package's changelog, compressed without a name or time stamp so the
# package is reproducible.
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/changelog.in
  ${PROJECT_BINARY_DIR}/packaging/changelog @ONLY)
execute_process(COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/packaging/changelog
  RESULT_VARIABLE _tigress_gzip_rc)
if(NOT _tigress_gzip_rc EQUAL 0)
  message(FATAL_ERROR "Packaging: gzip of the changelog failed (${_tigress_gzip_rc})")
endif()
install(FILES ${CMAKE_CURRENT_LIST_DIR}/debian/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  DESTINATION ${TIGRESS_DOC_DESTINATION})

set(TIGRESS_PACKAGE_MAINTAINER
  "tigress-harness maintainers <maintainers@users.noreply.r-seed-68fd64bd.example>"
  CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tigress-harness)
set(CPACK_PACKAGE_VENDOR "tigress-harness maintainers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "conformance and interop test harness for TIGRESS")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # tigress-harness_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TIGRESS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The runtime libraries (libssl3, libcurl4, libboost-url1.81.0, libyaml-cpp0.7,
# libsqlite3-0, libarchive13, ...) are read from the binaries by dpkg-shlibdeps
# rather than listed by hand, so a new link dependency cannot be forgotten.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The extended description; CPack puts the summary above it as the synopsis.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "TIGRESS hands a copy of a digital credential (a car key, a hotel key) from
one phone to another through an untrusted relay server. tigress-harness
starts a relay and two devices (the reference ones in this package, or a
vendor's through a documented adapter contract), drives shares end to end
over TLS on loopback and reports compliance requirement by requirement
(junit.xml, report.html, report.json).")
include(CPack)
