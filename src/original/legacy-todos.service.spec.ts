import { strictFake } from '../../test/unit/strict-fake.js';
import { TodoReader } from '../todos/todo-reader.js';
import type { TodosRepository } from '../todos/todos.repository.js';
import type { TodosService } from '../todos/todos.service.js';
import { LEGACY, todo } from '../../test/unit/todos.service.fakes.js';
import { LegacyTodosService } from './legacy-todos.service.js';

describe('LegacyTodosService', () => {
  describe('page', () => {
    it("reads a page of 10 of the owner's, in the original's form", async () => {
      const rows = [todo({ content: 'first' })];
      const repository = strictFake<TodosRepository>('todos', {
        page: () => Promise.resolve(rows),
      });
      const service = new LegacyTodosService(
        repository,
        new TodoReader(),
        strictFake<TodosService>('service'),
      );
      const page = await service.page(LEGACY, 20);
      expect(repository.mocks.page).toHaveBeenCalledWith(LEGACY, {}, 20, 10);
      expect(page).toHaveLength(1);
      expect(page[0]).toMatchObject({ content: 'first' });
    });
  });
});
