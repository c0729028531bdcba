#include "product_table_model.h"
