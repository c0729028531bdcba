#include "chart_export.h"
