#include "product_filter_model.h"
