import { Route, Routes } from 'react-router-dom';
import { ChangesPage } from './ChangesPage/ChangesPage';
import { ChangeView } from './ChangeView/ChangeView';

/** `/gitops`: the Changes list, and one change request under `changes/:id`. */
export function GitopsPage() {
  return (
    <Routes>
      <Route path="/" element={<ChangesPage />} />
      <Route path="/changes/:id" element={<ChangeView />} />
    </Routes>
  );
}
