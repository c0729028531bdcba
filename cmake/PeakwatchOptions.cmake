# One INTERFACE target carries the language level, warnings and Qt's strict defines;
# every Peakwatch target links it.
add_library(peakwatch_options INTERFACE)
target_compile_features(peakwatch_options INTERFACE cxx_std_20)
target_compile_options(peakwatch_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                   -Wnon-virtual-dtor -Wno-missing-field-initializers)
target_compile_definitions(peakwatch_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_USE_QSTRINGBUILDER
  QT_NO_KEYWORDS)
