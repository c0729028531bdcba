#include "stock_chart.h"
