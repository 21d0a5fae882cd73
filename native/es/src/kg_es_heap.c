/* The watchdog's min-heap of unanswered AUTH messages, earliest fire time first. */
#include <stdlib.h>

#include "kg_es_internal.h"

static void place(kg_heap *heap, size_t index, kg_pending *item)
{
    heap->items[index] = item;
    item->heap_index = index;
}

static void sift_up(kg_heap *heap, size_t index)
{
    kg_pending *item = heap->items[index];
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (heap->items[parent]->fire_at_ns <= item->fire_at_ns) {
            break;
        }
        place(heap, index, heap->items[parent]);
        index = parent;
    }
    place(heap, index, item);
}

static void sift_down(kg_heap *heap, size_t index)
{
    kg_pending *item = heap->items[index];
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= heap->count) {
            break;
        }
        if (child + 1 < heap->count && heap->items[child + 1]->fire_at_ns < heap->items[child]->fire_at_ns) {
            child++;
        }
        if (item->fire_at_ns <= heap->items[child]->fire_at_ns) {
            break;
        }
        place(heap, index, heap->items[child]);
        index = child;
    }
    place(heap, index, item);
}

int kg_heap_push(kg_heap *heap, kg_pending *item)
{
    if (heap->count == heap->capacity) {
        size_t capacity = heap->capacity == 0 ? 64 : heap->capacity * 2;
        kg_pending **items = realloc(heap->items, capacity * sizeof *items);
        if (items == NULL) {
            return -1;
        }
        heap->items = items;
        heap->capacity = capacity;
    }
    place(heap, heap->count++, item);
    sift_up(heap, item->heap_index);
    return 0;
}

void kg_heap_remove(kg_heap *heap, kg_pending *item)
{
    size_t index = item->heap_index;
    if (index == KG_NOT_IN_HEAP) {
        return;
    }
    item->heap_index = KG_NOT_IN_HEAP;
    kg_pending *last = heap->items[--heap->count];
    if (last == item) {
        return;
    }
    place(heap, index, last);
    sift_up(heap, index);
    sift_down(heap, last->heap_index);
}

kg_pending *kg_heap_pop(kg_heap *heap)
{
    if (heap->count == 0) {
        return NULL;
    }
    kg_pending *top = heap->items[0];
    kg_heap_remove(heap, top);
    return top;
}

void kg_heap_free(kg_heap *heap)
{
    free(heap->items);
    heap->items = NULL;
    heap->count = heap->capacity = 0;
}
