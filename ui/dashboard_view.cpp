#include "dashboard_view.h"
